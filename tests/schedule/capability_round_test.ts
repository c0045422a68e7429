/**
 * The server's scheduled scans run the capability round (serve's settings, lib/cli/capability_setup.ts):
 * the first scan checks each claim, the next one within the interval sends no capability request,
 * and an allowance of zero (the day's quota kept for the health probes) sends none.
 */
import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import { createScheduler } from "../../lib/schedule/scheduler.ts";
import type { CronRegister } from "../../lib/schedule/cron.ts";
import { latestCapabilities } from "../../lib/db/capabilities.ts";
import { scheduledCapabilities } from "../../lib/cli/capability_setup.ts";
import { createQuotaLedger } from "../../lib/scan/quota.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { FAST_SETTINGS, TEST_KEY } from "../scan/helpers.ts";

const MODELS = [
  { id: "a/tools:free", supported_parameters: ["tools"], capabilities: { tools: "ok" as const } },
  { id: "b/plain:free" },
];

const noCron: CronRegister = (_n, _s, options) =>
  new Promise((resolve) => options.signal?.addEventListener("abort", () => resolve()));

async function scheduledScans(allowance: number | null, scans: number) {
  const fake = await startFakeOpenRouter({ models: MODELS, apiKey: TEST_KEY });
  const dir = await Deno.makeTempDir({ prefix: "scouter-sched-cap-" });
  const store = await openStore({ path: `${dir}/s.db` });
  try {
    const quota = createQuotaLedger();
    const capabilities = scheduledCapabilities(
      { capabilityIntervalHours: 24 },
      { plan: () => Promise.resolve({ requests_per_day_min: 0 } as never) },
      quota,
    );
    assert.ok(capabilities);
    if (allowance !== null) capabilities.allowance = () => Promise.resolve(allowance);
    const scheduler = createScheduler({
      store,
      openrouter: createOpenRouterClient({ baseUrl: fake.url, apiKey: TEST_KEY }),
      settings: { ...FAST_SETTINGS, capabilities },
      timing: { kind: "interval", everyMs: 3_600_000 },
      scanOnStart: false,
      log: () => {},
      cron: noCron,
    });
    await scheduler.start();
    const counts: number[] = [];
    for (let i = 0; i < scans; i++) {
      const before = fake.chatRequests().length;
      assert.equal(await scheduler.requestScan(), "started");
      await scheduler.idle();
      counts.push(fake.chatRequests().length - before);
    }
    await scheduler.stop();
    return { counts, latest: await latestCapabilities(store.client) };
  } finally {
    store.close();
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("scheduled scans: the first checks each claim, the next within the interval none", async () => {
  const { counts, latest } = await scheduledScans(null, 2);
  assert.deepEqual(counts, [MODELS.length + 1, MODELS.length]);
  assert.equal(latest.get("a/tools:free")?.tools?.verified, true);
});

Deno.test("scheduled scans: no allowance left after the health probes, no capability request", async () => {
  const { counts, latest } = await scheduledScans(0, 1);
  assert.deepEqual(counts, [MODELS.length]);
  assert.equal(latest.size, 0);
});
