/** A scheduled scan skips the models routed traffic measured, and its log line says so. */
import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { insertTrafficChecks, trafficRunId } from "../../lib/db/router.ts";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import { createScheduler } from "../../lib/schedule/scheduler.ts";
import type { CronRegister } from "../../lib/schedule/cron.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { FAST_SETTINGS, TEST_KEY } from "../scan/helpers.ts";
import { check } from "../db/helpers.ts";

const noCron: CronRegister = (_name, _schedule, options) =>
  new Promise((resolve) => options.signal?.addEventListener("abort", () => resolve()));

Deno.test("the scheduler's scan on start: a model traffic measured is not probed", async () => {
  const fake = await startFakeOpenRouter({
    models: [{ id: "a/a:free" }, { id: "b/b:free" }],
    apiKey: TEST_KEY,
  });
  const dir = await Deno.makeTempDir({ prefix: "scouter-sched-traffic-" });
  const store = await openStore({ path: `${dir}/s.db` });
  const logs: string[] = [];
  try {
    await insertTrafficChecks(store.client, await trafficRunId(store.client), [
      check("a/a:free", {
        status: "rate_limited",
        fault: "shared_capacity",
        checked_at: Date.now() - 60_000,
        answer: null,
      }),
    ]);
    const scheduler = createScheduler({
      store,
      openrouter: createOpenRouterClient({ baseUrl: fake.url, apiKey: TEST_KEY }),
      settings: { ...FAST_SETTINGS, trafficFreshMinutes: 60 },
      timing: { kind: "interval", everyMs: 3_600_000 },
      scanOnStart: true,
      log: (m) => logs.push(m),
      cron: noCron,
      now: () => Date.now(),
    });
    await scheduler.start();
    await scheduler.idle();
    await scheduler.stop();
    const [run] = await store.listRuns(1);
    assert.equal(run.trigger, "schedule");
    assert.equal(run.traffic_measured, 1);
    assert.equal(run.total_models, 1);
    const probed = fake.chatRequests().map((r) => (r.body as { model: string }).model);
    assert.deepEqual(probed, ["b/b:free"]);
    assert.ok(
      logs.some((l) => /^scan \d+ completed: 1\/1 ok, 1 measured by routed traffic/.test(l)),
      logs.join("\n"),
    );
    assert.ok(
      logs.includes("1 model measured by routed traffic in the last 1 h: not probed (a/a:free)"),
    );
  } finally {
    store.close();
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
