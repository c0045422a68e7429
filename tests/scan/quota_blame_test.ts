import assert from "node:assert/strict";
import { createVirtualClock } from "../../lib/scan/clock.ts";
import { createPacer } from "../../lib/scan/pacer.ts";
import { detectIncident } from "../../lib/scan/incident.ts";
import type { CheckResult } from "../../lib/domain/check.ts";
import { byModel, scanWorld } from "./helpers.ts";

const T0 = Date.UTC(2026, 10, 27, 10);
const models = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `m/model-${i}:free` }));

/** Chat requests the fake refused with an account 429 (they never reached a model). */
function account429s(world: Awaited<ReturnType<typeof scanWorld>>, ids: string[]): number {
  const reached = ids.reduce((n, id) => n + world.fake.attempts(id), 0);
  return world.fake.chatRequests().length - reached;
}

Deno.test("quota known: exactly remaining − reserve chat requests, then skipped/quota, no per-day 429", async () => {
  const clock = createVirtualClock(T0);
  await using world = await scanWorld(models(8), { dailyLimit: 50 }, clock);
  // 45 of the day's 50 were spent elsewhere: GET /key says 5 remain; the user keeps 2 back.
  for (let i = 0; i < 45; i++) {
    await fetch(`${world.fake.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-or-v1-test-key-0000-not-real-0000-scouter" },
      body: JSON.stringify({ model: "m/model-0:free", messages: [{ role: "user", content: "x" }] }),
    }).then((r) => r.body?.cancel());
  }
  const before = world.fake.chatRequests().length;
  const outcome = await world.scan({ concurrency: 3, quotaReserve: 2 });
  assert.equal(world.fake.chatRequests().length - before, 3, "remaining 5 − reserve 2");
  assert.equal(outcome.status, "quota_exhausted");
  const ok = outcome.results.filter((r) => r.status === "ok");
  const skipped = outcome.results.filter((r) => r.status === "skipped");
  assert.equal(ok.length, 3);
  assert.equal(skipped.length, 5);
  assert.ok(skipped.every((r) => r.skip_reason === "quota" && r.fault === "account"));
  assert.match(skipped[0].error ?? "", /quota is spent: 48 of 50 used, 2 kept back/);

  assert.equal(account429s(world, models(8).map((m) => m.id)), 0, "no per-day 429 provoked");
  assert.ok(
    world.logs.some((l) => /5 of 50 requests left today \(GET \/key\), 2 kept back/.test(l)),
  );
  assert.ok(world.logs.some((l) => /free-model requests left today: 2 of 50/.test(l)));
});

Deno.test("quota known: retries count against the budget", async () => {
  const clock = createVirtualClock(T0);
  await using world = await scanWorld(
    [{ id: "a/a:free", behaviors: ["http_502", "http_502", "ok"] }, { id: "b/b:free" }],
    { dailyLimit: 2 },
    clock,
  );
  const outcome = await world.scan({ concurrency: 1 });
  assert.equal(world.fake.chatRequests().length, 2);
  const r = byModel(outcome);
  assert.equal(r["a/a:free"].status, "skipped");
  assert.equal(r["a/a:free"].attempts, 2);
  assert.equal(r["b/b:free"].skip_reason, "quota");
});

Deno.test("field absent: the tier's estimate is logged, nothing is held back on a guess", async () => {
  await using world = await scanWorld(models(3), { reportDailyRequests: false });
  const outcome = await world.scan();
  assert.equal(outcome.status, "completed");
  assert.ok(world.logs.some((l) => /budget: 50 requests \(free tier, estimated\)/.test(l)));
});

Deno.test("learned limit: 4 per 8 s at concurrency 3, 10 models all ok with ≤ 3 account 429s", async () => {
  const clock = createVirtualClock(T0);
  const list = models(10);
  await using world = await scanWorld(
    list,
    { accountWindow: { limit: 4, windowMs: 8_000 } },
    clock,
  );
  const pacer = createPacer({ rpm: 20, delayMs: 300, clock });
  const outcome = await world.scan({ concurrency: 3, rpm: 20, requestDelaySeconds: 0.3 }, {
    pacer,
  });
  assert.ok(outcome.results.every((r) => r.status === "ok"), JSON.stringify(outcome.results));
  const limited = account429s(world, list.map((m) => m.id));
  assert.ok(limited >= 1 && limited <= 3, `${limited} account 429s`);
  // Exact from the first 429; a later one may only widen it (the safe side).
  assert.equal(pacer.learned?.limit, 4);
  assert.ok(pacer.learned!.windowMs >= 8_000 && pacer.learned!.windowMs <= 10_000);
  assert.ok(world.logs.some((l) => /limit learned: 4 requests per 8(\.\d)? s/.test(l)));
});

Deno.test("the pacer keeps to a learned window for every later request", async () => {
  const clock = createVirtualClock(T0);
  const pacer = createPacer({ rpm: 100, delayMs: 0, clock });
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push((await pacer.acquireAt())!);
  // The 5th was refused; the window ran from the first to the reset 10 s later.
  pacer.learn(4, times[0] + 10_000, times[4]);
  assert.deepEqual(pacer.learned, { limit: 4, windowMs: 10_000 });
  for (let i = 0; i < 8; i++) times.push((await pacer.acquireAt())!);
  // Every 10 s window that ends at a request after the lesson holds at most 4.
  for (const t of times.slice(5)) {
    assert.ok(times.filter((u) => u > t - 10_000 && u <= t).length <= 4, `at ${t - T0}`);
  }
  assert.ok(times.at(-1)! - times[0] >= 20_000, "8 more requests took two more windows");
});

Deno.test("shared-capacity 429: that model rate_limited (shared_capacity), never a pause, others ok", async () => {
  const clock = createVirtualClock(T0);
  await using world = await scanWorld(
    [
      { id: "busy/a:free", behaviors: ["shared_capacity_429"] },
      { id: "busy/b:free", behaviors: ["shared_capacity_429"] },
      ...models(6),
    ],
    { limitSource: false },
    clock,
  );
  const outcome = await world.scan({ concurrency: 3 });
  assert.equal(outcome.status, "completed");
  const r = byModel(outcome);
  for (const id of ["busy/a:free", "busy/b:free"]) {
    assert.equal(r[id].status, "rate_limited");
    assert.equal(r[id].fault, "shared_capacity");
    assert.equal(r[id].attempts, 1, "not retried: it would only spend the quota");
  }
  assert.equal(outcome.results.filter((c) => c.status === "ok").length, 6);
  assert.ok(!world.logs.some((l) => /pausing/.test(l)), "the scan never paused");
  const stored = await world.store.listChecks({ modelId: "busy/a:free" });
  assert.equal(stored[0].fault, "shared_capacity");
  assert.equal((await world.store.listChecks({ modelId: "m/model-0:free" }))[0].fault, null);
});

Deno.test("one 'User not found' 401 while GET /key accepts the key: the scan goes on", async () => {
  await using world = await scanWorld([
    { id: "a/a:free", behaviors: ["http_401", "ok"] },
    { id: "b/b:free" },
    { id: "c/c:free" },
  ]);
  const outcome = await world.scan({ concurrency: 1 });
  assert.equal(outcome.status, "completed");
  assert.ok(outcome.results.every((c) => c.status === "ok"));
  assert.equal(byModel(outcome)["a/a:free"].attempts, 2);
  assert.ok(world.logs.some((l) => /GET \/key accepts the key/.test(l)));
});

Deno.test("a 401 that GET /key confirms stops the scan as auth", async () => {
  await using world = await scanWorld([
    { id: "a/a:free", behaviors: ["http_401"] },
    { id: "b/b:free" },
  ]);
  // The key is revoked between the scan's first GET /key and the chat request.
  const chat = world.fake;
  const outcome = await world.scan({ concurrency: 1 }, {
    openrouter: {
      ...(await import("../../lib/openrouter/client.ts")).createOpenRouterClient({
        baseUrl: chat.url,
        apiKey: "sk-or-v1-test-key-0000-not-real-0000-scouter",
      }),
      getKey: (() => {
        let n = 0;
        const ok = {
          is_free_tier: true,
          limit: null,
          limit_remaining: null,
          usage: 0,
          usage_daily: 0,
        };
        return () =>
          n++ === 0
            ? Promise.resolve(ok)
            : Promise.reject(Object.assign(new Error("401"), { status: 401 }));
      })(),
    },
  });
  assert.equal(outcome.status, "failed");
  assert.ok(outcome.results.every((c) => c.skip_reason === "auth"));
});

Deno.test("most models failing alike at once is an OpenRouter incident, stored with the run", async () => {
  await using world = await scanWorld([
    ...models(4).map((m) => ({ ...m, behaviors: ["http_500" as const] })),
    { id: "z/fine:free" },
  ]);
  const outcome = await world.scan({ maxRetries: 0 });
  assert.equal(outcome.incident, "OpenRouter incident: 4 of 5 models failed with HTTP 500 at once");
  assert.ok(
    outcome.results.filter((c) => c.status !== "ok").every((c) => c.fault === "openrouter"),
  );
  const run = await world.store.getRun(outcome.run_id);
  assert.equal(run?.incident, outcome.incident);
  const checks = await world.store.listChecks({ runId: outcome.run_id });
  assert.equal(checks.filter((c) => c.fault === "openrouter").length, 4);
  assert.equal(checks.find((c) => c.model_id === "z/fine:free")?.fault, null);
});

Deno.test("incident rules: at least 4 measured, ≥ 60 % with the same 5xx or 401", () => {
  const check = (id: string, status: CheckResult["status"], http: number | null): CheckResult => ({
    model_id: id,
    status,
    checked_at: 0,
    http_status: http,
    latency_ms: 1,
    ttft_ms: null,
    attempts: 1,
    output_tokens: null,
    tokens_per_second: null,
    provider: null,
    error: null,
    skip_reason: null,
    answer: null,
  });
  const bad = (n: number, http: number) =>
    Array.from({ length: n }, (_, i) => check(`x/${http}-${i}`, "unavailable", http));
  assert.equal(detectIncident(bad(3, 502)), null, "three models are too few");
  assert.ok(
    detectIncident([...bad(3, 502), check("ok", "ok", 200), check("s", "skipped", null)])?.text,
  );
  assert.equal(detectIncident([...bad(2, 502), ...bad(2, 503)]), null, "not the same way");
  assert.equal(
    detectIncident([...bad(3, 404), check("ok", "ok", 200)]),
    null,
    "a 404 is the model's",
  );
  assert.equal(detectIncident([...bad(3, 401), ...bad(2, 502)])?.modelIds.length, 3);
  assert.equal(
    detectIncident([...bad(2, 401), check("a", "ok", 200), check("b", "ok", 200)]),
    null,
  );
});
