/**
 * Issue 11 end to end against the fake: the router and the scanner share one pacer. Routed
 * requests to A measure it, so the next scan does not probe A; and with a share of 0.5 of a
 * limit of 10, probes stop at 5 left while a routed request still goes through.
 */
import assert from "node:assert/strict";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import { freeModels } from "../../lib/openrouter/catalog.ts";
import { createPassthrough } from "../../lib/openrouter/passthrough.ts";
import { prioritize } from "../../lib/router/priority.ts";
import { createRouter } from "../../lib/router/router.ts";
import { systemClock } from "../../lib/scan/clock.ts";
import { createPacer } from "../../lib/scan/pacer.ts";
import { runScan } from "../../lib/scan/scan.ts";
import { createV1 } from "../../routes/v1/mod.ts";
import { type FakeModelSpec, startFakeOpenRouter } from "../fake_openrouter.ts";
import { openTestStore } from "../seed.ts";
import { FAST_SETTINGS } from "../scan/helpers.ts";
import { API_KEY, TOKEN } from "./world.ts";

const A = "test/a:free";

async function startServer(models: FakeModelSpec[], dailyLimit: number | null = null) {
  const fake = await startFakeOpenRouter({ models, apiKey: API_KEY, dailyLimit });
  const db = await openTestStore();
  const store = db.store;
  const openrouter = createOpenRouterClient({ baseUrl: fake.url, apiKey: API_KEY });
  const runId = await store.startRun({ trigger: "cli", started_at: Date.now() - 3_600_000 });
  await store.syncCatalog(freeModels(await openrouter.listModels()), Date.now(), runId);
  await store.finishRun(runId, { status: "completed", finished_at: Date.now() - 3_500_000 });
  // One pacer for the process, as lib/cli/router_setup.ts wires it.
  const shared = createPacer({ rpm: 100_000, delayMs: 0, clock: systemClock });
  const pacers = prioritize(shared);
  const router = createRouter({
    store,
    passthrough: createPassthrough({ baseUrl: fake.url, apiKey: API_KEY }),
    pacer: pacers.traffic,
    maxAttempts: 3,
    firstTokenMs: 2_000,
    viewTtlMs: 0,
    log: () => {},
  });
  const app = createV1({
    router,
    token: TOKEN,
    clientConcurrency: 100,
    corsOrigins: [],
    log: () => {},
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const logs: string[] = [];
  return {
    fake,
    store,
    shared,
    router,
    logs,
    ask: async (model: string) => {
      const res = await fetch(`http://127.0.0.1:${server.addr.port}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
      });
      await res.body?.cancel();
      return res.status;
    },
    scan: (settings: Partial<typeof FAST_SETTINGS> = {}) =>
      runScan({ ...FAST_SETTINGS, ...settings }, {
        openrouter,
        store,
        clock: systemClock,
        pacer: pacers.probes,
        random: () => 0.5,
        backoffBaseMs: 20,
        log: (m) => logs.push(m),
      }),
    probed: (from: number) =>
      fake.chatRequests().slice(from).map((r) => (r.body as { model: string }).model),
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await router.flush();
      await fake.close();
      await db[Symbol.asyncDispose]();
    },
  };
}

Deno.test("routed requests to A, then a scan: A is not probed, the others are, and it says so", async () => {
  const models = ["test/a:free", "test/b:free", "test/c:free"].map((id) => ({
    id,
    behaviors: ["ok" as const],
  }));
  await using s = await startServer(models);
  for (let i = 0; i < 3; i++) assert.equal(await s.ask(A), 200);
  await s.router.flush();
  const routed = s.fake.chatRequests().length;
  assert.deepEqual(s.probed(0), [A, A, A], "the routed requests went to A");

  const outcome = await s.scan({ trafficFreshMinutes: 60 });
  assert.equal(outcome.status, "completed");
  assert.deepEqual(s.probed(routed).sort(), ["test/b:free", "test/c:free"]);
  assert.deepEqual(outcome.traffic_measured.map((m) => m.model_id), [A]);
  assert.equal(outcome.traffic_measured[0].status, "ok");
  assert.ok(!outcome.results.some((r) => r.model_id === A));
  assert.equal((await s.store.getRun(outcome.run_id))?.traffic_measured, 1);
  assert.ok(
    s.logs.some((l) =>
      l === `1 model measured by routed traffic in the last 1 h: not probed (${A})`
    ),
    s.logs.join("\n"),
  );
});

Deno.test("share 0.5 of a limit of 10: probes stop at 5 left, a routed request still goes", async () => {
  const models = Array.from({ length: 8 }, (_, i) => ({
    id: `test/m${i}:free`,
    behaviors: ["ok" as const],
  }));
  await using s = await startServer(models, 10);
  const outcome = await s.scan({ trafficShare: 0.5, maxRetries: 0, concurrency: 2 });
  assert.equal(outcome.status, "quota_exhausted");
  const probed = outcome.results.filter((r) => r.status !== "skipped");
  const skipped = outcome.results.filter((r) => r.status === "skipped");
  assert.equal(probed.length, 5, "10 − ceil(0.5 × 10) = 5 probes");
  assert.equal(skipped.length, 3);
  assert.ok(skipped.every((r) => r.skip_reason === "quota"));
  assert.equal(s.fake.chatRequests().length, 5);
  assert.match(outcome.error ?? "", /5 kept back: 5 kept for routed traffic/);

  assert.equal(await s.ask("test/m0:free"), 200, "routed traffic may spend the share");
  assert.equal(s.fake.chatRequests().length, 6);
  assert.equal(s.shared.quota.snapshot(Date.now())?.remaining, 4);
});
