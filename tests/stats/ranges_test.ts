import assert from "node:assert/strict";
import { modelHistory } from "../../lib/stats/history.ts";
import { emptyRangeStats, rangeStats, rangeStatsByModel } from "../../lib/stats/ranges.ts";
import { openTestStore, type SeedCheck, seedStore } from "../seed.ts";

const NOW = Date.UTC(2026, 10, 27, 10, 30);
const H = 3_600_000;
const D = 24 * H;
const at = (ms: number) => NOW - ms;
const M = "meta-llama/llama-3.3-70b-instruct:free";

const CHECKS: SeedCheck[] = [
  // Exactly 24 h ago: the open end of "24h", so only in 7d and longer.
  { model_id: M, checked_at: at(D), status: "ok", latency_ms: 9000, ttft_ms: 9000 },
  { model_id: M, checked_at: at(D - 1), status: "ok", latency_ms: 100, ttft_ms: 10 },
  { model_id: M, checked_at: at(20 * H), status: "ok", latency_ms: 300, ttft_ms: null },
  { model_id: M, checked_at: at(10 * H), status: "ok", latency_ms: 200, ttft_ms: 30 },
  { model_id: M, checked_at: at(9 * H), status: "rate_limited" },
  { model_id: M, checked_at: at(8 * H), status: "rate_limited" },
  { model_id: M, checked_at: at(7 * H), status: "timeout" },
  { model_id: M, checked_at: at(6 * H), status: "skipped", skip_reason: "quota" },
  { model_id: M, checked_at: at(5 * H), status: "ok", latency_ms: 400, ttft_ms: 20 },
  // At `now` exactly: the range's closed end, included.
  { model_id: M, checked_at: NOW, status: "wrong_answer", http_status: 200 },
  { model_id: M, checked_at: NOW + 1, status: "ok", latency_ms: 1 }, // the future: ignored
  { model_id: M, checked_at: at(20 * D), status: "network_error" },
  { model_id: M, checked_at: at(60 * D), status: "ok", latency_ms: 5000, ttft_ms: 4000 },
  { model_id: "other/model:free", checked_at: at(H), status: "ok", latency_ms: 1 },
];

async function seeded() {
  const db = await openTestStore();
  await seedStore(db.store, { checks: CHECKS });
  return db;
}

Deno.test("rangeStats: counts, uptime over measured checks, percentiles over ok ones", async () => {
  await using db = await seeded();
  assert.deepEqual(await rangeStats(db.store, M, "24h", NOW), {
    range: "24h",
    checks: 8, // 4 ok + 2 rate_limited + timeout + wrong_answer; skipped and future left out
    ok: 4,
    failed: 4,
    skipped: 1,
    uptime: 50,
    p50_latency_ms: 200, // 100, 200, 300, 400: rank ceil(2) = 2nd
    p95_latency_ms: 400, // rank ceil(3.8) = 4th
    p99_latency_ms: 400,
    p50_ttft_ms: 20, // 10, 20, 30 (the null left out): rank ceil(1.5) = 2nd
    p95_ttft_ms: 30,
    p99_ttft_ms: 30,
    failures_by_category: { rate_limited: 2, timeout: 1, wrong_answer: 1 },
  });
  const week = await rangeStats(db.store, M, "7d", NOW);
  assert.equal(week.checks, 9);
  assert.equal(week.ok, 5);
  assert.equal(week.uptime, 55.6);
  assert.equal(week.p95_latency_ms, 9000);
  const month = await rangeStats(db.store, M, "30d", NOW);
  assert.deepEqual(month.failures_by_category, {
    rate_limited: 2,
    timeout: 1,
    wrong_answer: 1,
    network_error: 1,
  });
  assert.equal(month.uptime, 50);
  const quarter = await rangeStats(db.store, M, "90d", NOW);
  assert.equal(quarter.checks, 11);
  assert.equal(quarter.ok, 6);
  assert.equal(quarter.p50_ttft_ms, 30); // 10, 20, 30, 4000, 9000
});

Deno.test("rangeStats: a model without checks has zeros and nulls, never 0 %", async () => {
  await using db = await seeded();
  assert.deepEqual(
    await rangeStats(db.store, "nobody/none:free", "7d", NOW),
    emptyRangeStats("7d"),
  );
  assert.equal(emptyRangeStats("7d").uptime, null);
  const onlySkipped = await openTestStore();
  await using _ = onlySkipped;
  await seedStore(onlySkipped.store, {
    checks: [{ model_id: "s/s:free", checked_at: at(H), status: "skipped" }],
  });
  assert.deepEqual(await rangeStats(onlySkipped.store, "s/s:free", "24h", NOW), {
    ...emptyRangeStats("24h"),
    skipped: 1,
  });
});

Deno.test("rangeStatsByModel: the same numbers for every model of the table", async () => {
  await using db = await seeded();
  const all = await rangeStatsByModel(db.store, "24h", NOW);
  assert.deepEqual([...all.keys()].sort(), [M, "other/model:free"]);
  assert.deepEqual(all.get(M), await rangeStats(db.store, M, "24h", NOW));
});

Deno.test("modelHistory: oldest first, skipped included and labelled, limit keeps the newest", async () => {
  await using db = await seeded();
  const day = await modelHistory(db.store, M, "24h", NOW);
  assert.deepEqual(
    day.map((p) => p.run_datetime),
    [
      at(D - 1),
      at(20 * H),
      at(10 * H),
      at(9 * H),
      at(8 * H),
      at(7 * H),
      at(6 * H),
      at(5 * H),
      NOW,
    ].map((t) => new Date(t).toISOString()),
  );
  assert.deepEqual(day.map((p) => p.status_label), [
    "OK",
    "OK",
    "OK",
    "429",
    "429",
    "TIMEOUT",
    "SKIPPED",
    "OK",
    "FAIL",
  ]);
  const skipped = day[6];
  assert.equal(skipped.ok, false);
  assert.equal(skipped.status, "skipped");
  assert.equal(skipped.skip_reason, "quota");
  const first = day[0];
  assert.deepEqual(Object.keys(first).slice(0, 4), [
    "run_datetime",
    "ok",
    "latency_ms",
    "status_label",
  ]);
  assert.equal(first.ok, true);
  assert.equal(first.latency_ms, 100);
  assert.equal(first.ttft_ms, 10);
  assert.equal(first.http_status, 200);
  assert.equal(typeof first.run_id, "number");

  const last2 = await modelHistory(db.store, M, "90d", NOW, 2);
  assert.deepEqual(last2.map((p) => p.status), ["ok", "wrong_answer"]);
  assert.equal((await modelHistory(db.store, M, "90d", NOW)).length, 12);
  assert.deepEqual(await modelHistory(db.store, "nobody/none:free", "90d", NOW), []);
});
