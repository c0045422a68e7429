/**
 * Chaos: the server scans through a proxy that breaks a large share of OpenRouter's answers
 * (connections closed, non-HTTP bytes, malformed heads, 5xx, random bytes as SSE, bodies cut
 * or trickling, requests never answered). Every scan must end, every model get exactly one
 * category, no promise be left rejected, and the server answer every page and API call
 * meanwhile.
 *
 * CI runs a couple of scans; `deno task chaos` runs many (SCOUTER_CHAOS_SCANS, and
 * SCOUTER_CHAOS_SEED to replay one seed).
 */
import assert from "node:assert/strict";
import { CHECK_STATUSES, type CheckStatus } from "../../lib/domain/check.ts";
import { type FakeModelSpec, startFakeOpenRouter } from "../fake_openrouter.ts";
import { TEST_KEY } from "../scan/helpers.ts";
import { appWorld, visit, within } from "./app_world.ts";
import { type Fault, startChaosProxy } from "./chaos_proxy.ts";

const SCANS = Number(Deno.env.get("SCOUTER_CHAOS_SCANS") ?? "2");
const SEED = Number(Deno.env.get("SCOUTER_CHAOS_SEED") ?? "20261127");
const MODELS = 36;

/** The one category a final attempt with this fault must end in (the others vary). */
const CATEGORY_OF: Partial<Record<Fault, CheckStatus>> = {
  reset: "network_error",
  not_http: "network_error",
  bad_head: "network_error",
  http_5xx: "unavailable",
  garbage_sse: "invalid_response",
  hang: "timeout",
};

Deno.test(`chaos: ${SCANS} scan(s) of ${MODELS} models through a broken OpenRouter (seed ${SEED})`, async () => {
  const rejections: unknown[] = [];
  const onRejection = (e: PromiseRejectionEvent) => {
    rejections.push(e.reason);
    e.preventDefault();
  };
  globalThis.addEventListener("unhandledrejection", onRejection);

  const models: FakeModelSpec[] = Array.from({ length: MODELS }, (_, i) => ({
    id: `chaos/model-${i}:free`,
    name: `Chaos ${i}`,
    // Mostly healthy upstream, so that what goes wrong is the chaos.
    behaviors: i % 9 === 0 ? ["upstream_429", "ok"] : i % 11 === 0 ? ["wrong_answer"] : ["ok"],
  }));
  const fake = await startFakeOpenRouter({ models, apiKey: TEST_KEY });
  const proxy = await startChaosProxy({
    upstream: fake.url,
    seed: SEED,
    faultRate: 0.6,
    target: (method, path) =>
      (method === "POST" && path.includes("/chat/completions")) || path.endsWith("/key"),
    slowPieceMs: 60,
  });
  try {
    await using world = await appWorld({
      openrouterUrl: proxy.url,
      settings: { timeoutSeconds: 1, maxRetries: 1, concurrency: 8 },
    });
    for (let scan = 0; scan < SCANS; scan++) {
      const before = proxy.records.length;
      assert.equal(await world.scheduler.requestScan(), "started");
      // The server answers everything while the scan runs.
      let scanning = true;
      const done = world.scheduler.idle().finally(() => scanning = false);
      const answered: Record<string, number>[] = [];
      while (scanning) {
        answered.push(await visit(world.base, models[scan].id));
        await new Promise((r) => setTimeout(r, 50));
      }
      await within(done, 120_000, `scan ${scan}`);
      assert.ok(answered.length > 0);
      for (const statuses of answered) {
        for (const [path, status] of Object.entries(statuses)) {
          // A model's own page is a 404 until the first catalog of the first scan is stored.
          const ok = path.includes("chaos") && scan === 0 ? [200, 404] : [200];
          assert.ok(ok.includes(status), `${path} during scan ${scan}: ${status}`);
        }
      }

      const [run] = await world.store.listRuns(1);
      assert.equal(run.status, "completed", `scan ${scan}: ${run.error}`);
      const checks = await world.store.listChecks({ runId: run.id });
      const perModel = new Map<string, number>();
      for (const c of checks) perModel.set(c.model_id, (perModel.get(c.model_id) ?? 0) + 1);
      assert.equal(perModel.size, MODELS, "every model was checked");
      for (const [id, n] of perModel) assert.equal(n, 1, `${id}: exactly one check`);
      for (const c of checks) {
        assert.ok(CHECK_STATUSES.includes(c.status), c.status);
        assert.notEqual(c.status, "skipped", `${c.model_id}: measured (${c.error})`);
      }

      // What the proxy did to each model's final attempt decides some categories outright.
      const records = proxy.records.slice(before);
      const chats = records.filter((r) => r.model !== null);
      const faulty = chats.filter((r) => r.fault !== "pass").length;
      assert.ok(faulty / chats.length >= 0.3, `${faulty} of ${chats.length} requests broken`);
      const lastFault = new Map(chats.map((r) => [r.model!, r.fault]));
      for (const c of checks) {
        const fault = lastFault.get(c.model_id);
        const expected = fault && fault !== "pass" ? CATEGORY_OF[fault] : undefined;
        if (expected) assert.equal(c.status, expected, `${c.model_id} after ${fault}: ${c.error}`);
      }
      const run2 = await world.store.getRun(run.id);
      assert.equal(run2?.ok_count, checks.filter((c) => c.status === "ok").length);
    }
    // Still serving after it all.
    for (const status of Object.values(await visit(world.base, models[0].id))) {
      assert.equal(status, 200);
    }
    assert.ok(!world.logs.some((l) => /Uncaught|unhandled/i.test(l)), world.logs.join("\n"));
  } finally {
    await proxy.close();
    await fake.close();
    globalThis.removeEventListener("unhandledrejection", onRejection);
  }
  assert.deepEqual(rejections, [], "no promise rejection was left unhandled");
});
