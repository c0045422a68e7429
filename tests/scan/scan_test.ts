import assert from "node:assert/strict";
import type { Behavior } from "../fake_openrouter.ts";
import { createVirtualClock } from "../../lib/scan/clock.ts";
import { createPacer } from "../../lib/scan/pacer.ts";
import { byModel, scanWorld, TEST_KEY } from "./helpers.ts";

/** Each behaviour of the fake, and the one category it must end in (with no retries left). */
const EXPECTED: [Behavior, string][] = [
  ["ok", "ok"],
  ["wrong_answer", "wrong_answer"],
  ["empty", "empty_response"],
  ["reasoning_only", "empty_response"],
  ["upstream_429", "rate_limited"],
  ["http_500", "unavailable"],
  ["http_502", "unavailable"],
  ["http_503", "unavailable"],
  ["http_404", "not_found"],
  ["http_400", "rejected"],
  ["http_403_moderation", "rejected"],
  ["http_413", "rejected"],
  ["http_408", "timeout"],
  ["error_chunk", "unavailable"],
  ["choice_error_200", "unavailable"],
  ["nonstream_json", "ok"],
  ["leading_whitespace_json", "ok"],
  ["malformed_json", "invalid_response"],
  ["garbage_sse", "invalid_response"],
  ["truncated_stream", "invalid_response"],
  ["reset_mid_stream", "network_error"],
  ["hang", "timeout"],
];

Deno.test("every behaviour ends in exactly its category, stored as it finished", async () => {
  await using world = await scanWorld(
    EXPECTED.map(([b]) => ({ id: `test/${b}:free`, behaviors: [b] })),
  );
  const outcome = await world.scan({ maxRetries: 0, timeoutSeconds: 1, concurrency: 8 });
  assert.equal(outcome.status, "completed");
  const results = byModel(outcome);
  for (const [behavior, category] of EXPECTED) {
    const r = results[`test/${behavior}:free`];
    assert.equal(r?.status, category, `${behavior} → ${r?.status} (${r?.error})`);
    assert.equal(r.attempts, 1);
  }
  const ok = results["test/ok:free"];
  assert.equal(ok.http_status, 200);
  assert.ok(ok.ttft_ms !== null && ok.latency_ms !== null && ok.ttft_ms <= ok.latency_ms);
  assert.equal(ok.provider, "Chutes");
  assert.ok(ok.output_tokens !== null && ok.output_tokens > 0);

  const stored = await world.store.listChecks({ runId: outcome.run_id });
  assert.equal(stored.length, EXPECTED.length);
  for (const row of stored) assert.equal(row.status, results[row.model_id].status);
  const run = await world.store.getRun(outcome.run_id);
  assert.equal(run?.status, "completed");
  assert.equal(run?.total_models, EXPECTED.length);
  assert.equal(run?.ok_count, 3);
});

Deno.test("transient failures are retried; latency is the final attempt's alone", async () => {
  await using world = await scanWorld([
    { id: "flaky/a:free", behaviors: ["http_502", "upstream_429", "ok"] },
    { id: "broken/b:free", behaviors: ["http_400", "ok"] },
    { id: "gone/c:free", behaviors: ["http_404", "ok"] },
    { id: "down/d:free", behaviors: ["http_503"] },
  ]);
  // Backoff steps of 400 ms then 800 ms: far longer than an answer from loopback.
  const outcome = await world.scan({ maxRetries: 2 }, { backoffBaseMs: 400, random: () => 1 });
  const r = byModel(outcome);
  assert.equal(r["flaky/a:free"].status, "ok");
  assert.equal(r["flaky/a:free"].attempts, 3);
  assert.ok(r["flaky/a:free"].latency_ms! < 300, `latency ${r["flaky/a:free"].latency_ms}`);
  assert.equal(r["broken/b:free"].status, "rejected", "a 400 is never retried");
  assert.equal(r["broken/b:free"].attempts, 1);
  assert.equal(r["gone/c:free"].status, "not_found", "a 404 is never retried");
  assert.equal(r["gone/c:free"].attempts, 1);
  assert.equal(r["down/d:free"].status, "unavailable");
  assert.equal(r["down/d:free"].attempts, 3);
  assert.equal(world.fake.attempts("down/d:free"), 3);
});

Deno.test("an account per-minute 429 pauses every probe and is never a recorded failure", async () => {
  const clock = createVirtualClock(Date.UTC(2026, 10, 27, 10));
  await using world = await scanWorld(
    Array.from({ length: 7 }, (_, i) => ({ id: `m/model-${i}:free` })),
    { rpmLimit: 3 },
    clock,
  );
  // The scanner's own limit is looser than the account's: OpenRouter's 429 must pace it.
  const outcome = await world.scan({ rpm: 100, concurrency: 2 });
  assert.equal(outcome.status, "completed");
  assert.ok(outcome.results.every((r) => r.status === "ok"), JSON.stringify(outcome.results));
  assert.ok(outcome.results.every((r) => r.attempts === 1), "a 429 of ours is not an attempt");
  const limited = world.fake.chatRequests().length - 7;
  assert.ok(limited >= 1, "the fake did answer some requests with an account 429");
  assert.ok(world.logs.some((l) => /per-minute limit/.test(l)));
});

Deno.test("without GET /key's count, the daily 429 stops the scan at once: the rest skipped", async () => {
  const clock = createVirtualClock(Date.UTC(2026, 10, 27, 10));
  await using world = await scanWorld(
    Array.from({ length: 8 }, (_, i) => ({ id: `m/model-${i}:free` })),
    { dailyLimit: 3, reportDailyRequests: false },
    clock,
  );
  const outcome = await world.scan({ concurrency: 1 });
  assert.equal(outcome.status, "quota_exhausted");
  const statuses = outcome.results.map((r) => r.status);
  assert.deepEqual(statuses.filter((s) => s === "ok").length, 3);
  assert.deepEqual(statuses.filter((s) => s === "skipped").length, 5);
  assert.ok(
    outcome.results.filter((r) => r.status === "skipped").every((r) => r.skip_reason === "quota"),
  );
  assert.equal(world.fake.chatRequests().length, 4, "nothing is sent after the daily 429");
  const run = await world.store.getRun(outcome.run_id);
  assert.equal(run?.status, "quota_exhausted");
  assert.equal(run?.skipped_count, 5);
});

Deno.test("a refused key stops the scan: 401 on GET /key sends no chat at all", async () => {
  await using world = await scanWorld(
    [{ id: "a/a:free" }, { id: "b/b:free" }],
    { apiKey: "sk-or-v1-another-key" },
  );
  const outcome = await world.scan();
  assert.equal(outcome.status, "failed");
  assert.ok(outcome.results.every((r) => r.status === "skipped" && r.skip_reason === "auth"));
  assert.equal(world.fake.chatRequests().length, 0);
  assert.match(outcome.error ?? "", /401/);
});

Deno.test("402 from a chat request stops the scan with the rest skipped (payment)", async () => {
  await using world = await scanWorld([
    { id: "a/a:free", behaviors: ["http_402"] },
    { id: "b/b:free" },
    { id: "c/c:free" },
  ]);
  const outcome = await world.scan({ concurrency: 1 });
  assert.equal(outcome.status, "failed");
  assert.ok(outcome.results.every((r) => r.status === "skipped" && r.skip_reason === "payment"));
  assert.equal(world.fake.chatRequests().length, 1);
});

Deno.test("pacing: never more than RPM chat requests in any 60 s window", async () => {
  const clock = createVirtualClock(Date.UTC(2026, 10, 27, 10));
  await using world = await scanWorld(
    Array.from({ length: 45 }, (_, i) => ({
      id: `m/model-${i}:free`,
      // Some retries, so that they go through the pacer too.
      behaviors: i % 5 === 0 ? ["http_503" as const, "ok" as const] : ["ok" as const],
    })),
    {},
    clock,
  );
  // Observe the pacer the scan uses: with concurrent virtual sleeps, arrival times at the fake
  // drift from start times, so the start times are read where they are decided.
  const pacer = createPacer({ rpm: 10, delayMs: 300, clock });
  const outcome = await world.scan({ rpm: 10, concurrency: 4, requestDelaySeconds: 0.3 }, {
    pacer,
  });
  assert.ok(outcome.results.every((r) => r.status === "ok"));
  const times = pacer.granted;
  assert.equal(times.length, 45 + 9);
  assert.equal(world.fake.chatRequests().length, times.length, "every request went through it");
  for (let i = 0; i < times.length; i++) {
    const inWindow = times.filter((t) => t >= times[i] && t < times[i] + 60_000).length;
    assert.ok(inWindow <= 10, `${inWindow} requests in the window from ${times[i]}`);
  }
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  assert.ok(gaps.every((g) => g >= 300), "the request delay holds between any two starts");
});

Deno.test("catalog: free models only, filters applied, events recorded", async () => {
  await using world = await scanWorld([
    { id: "meta-llama/llama-3.3-70b-instruct:free" },
    { id: "qwen/qwen3-235b:free" },
    { id: "mistral/small:free" },
    { id: "openai/gpt-4o", free: false },
  ]);
  const first = await world.scan({ modelIdContains: ["LLAMA", "qwen"] });
  assert.deepEqual(first.results.map((r) => r.model_id).sort(), [
    "meta-llama/llama-3.3-70b-instruct:free",
    "qwen/qwen3-235b:free",
  ]);
  const capped = await world.scan({ maxModels: 1 });
  assert.equal(capped.results.length, 1);
  const added = await world.store.listEvents({});
  assert.equal(added.filter((e) => e.kind === "added").length, 3, "paid models are not kept");

  world.fake.setModels([{ id: "meta-llama/llama-3.3-70b-instruct:free" }, {
    id: "qwen/qwen3-235b:free",
  }]);
  await world.scan();
  world.fake.setModels([
    { id: "meta-llama/llama-3.3-70b-instruct:free" },
    { id: "qwen/qwen3-235b:free" },
    { id: "mistral/small:free" },
  ]);
  await world.scan();
  const kinds = (await world.store.listEvents({ modelId: "mistral/small:free" })).map((e) =>
    e.kind
  );
  assert.deepEqual(kinds, ["returned", "removed", "added"]);
});

Deno.test("a failing or empty catalog fails the run and marks nothing removed", async () => {
  await using world = await scanWorld([{ id: "a/a:free" }, { id: "b/b:free" }]);
  await world.scan();
  for (const failure of ["http_503", "not_json", "no_data"] as const) {
    world.fake.configure({ catalogFailure: failure });
    const outcome = await world.scan();
    assert.equal(outcome.status, "failed", failure);
    assert.match(outcome.error ?? "", /catalog/, failure);
  }
  world.fake.configure({ catalogFailure: null });
  world.fake.setModels([]);
  const empty = await world.scan();
  assert.equal(empty.status, "failed");
  const models = await world.store.listModels({ presentOnly: true });
  assert.equal(models.length, 2);
  assert.equal((await world.store.listEvents({})).filter((e) => e.kind === "removed").length, 0);
});

Deno.test("aborting a scan records the rest as skipped (shutdown) and the run aborted", async () => {
  await using world = await scanWorld(
    Array.from({ length: 6 }, (_, i) => ({ id: `m/slow-${i}:free`, delayMs: 150 })),
  );
  const controller = new AbortController();
  const outcome = await world.scan({ concurrency: 1 }, {
    signal: controller.signal,
    onProgress: (p) => {
      if (p.done === 2) controller.abort();
    },
  });
  assert.equal(outcome.status, "aborted");
  assert.equal(outcome.results.length, 6);
  assert.equal(outcome.results.filter((r) => r.status === "ok").length, 2);
  assert.ok(
    outcome.results.slice(2).every((r) => r.status === "skipped" && r.skip_reason === "shutdown"),
  );
});

Deno.test("the API key is nowhere in the database or the logs", async () => {
  await using world = await scanWorld([
    { id: "a/a:free" },
    { id: "b/b:free", behaviors: ["http_401"] },
  ]);
  await world.scan({ concurrency: 1 });
  const tables = ["runs", "models", "catalog_events", "checks"];
  for (const table of tables) {
    const rs = await world.store.client.execute(`SELECT * FROM ${table}`);
    assert.ok(!JSON.stringify(rs.rows).includes(TEST_KEY), table);
  }
  assert.ok(!world.logs.join("\n").includes(TEST_KEY));
  const raw = await Deno.readFile(`${world.dir}/scouter.db`);
  assert.ok(!new TextDecoder().decode(raw).includes(TEST_KEY));
});
