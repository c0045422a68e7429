import assert from "node:assert/strict";
import { pruneChecks } from "../../lib/db/retention.ts";
import { latencySeries } from "../../lib/stats/latency_series.ts";
import { openTestStore, type SeedCheck, seedStore } from "../seed.ts";

const NOW = Date.UTC(2026, 10, 27, 10, 30);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ID = "a/b:free";

/** One check an hour (a minute before NOW, then hourly back) for `days` days: ok at 1 s, a
 * timeout every 10th hour. */
function hourly(days: number): SeedCheck[] {
  return Array.from({ length: days * 24 }, (_, i) => {
    const failed = i % 10 === 0;
    return {
      model_id: ID,
      checked_at: NOW - 60_000 - i * HOUR,
      status: failed ? "timeout" : "ok",
      latency_ms: failed ? null : 1_000,
    };
  });
}

Deno.test("latencySeries: check by check for short ranges, per hour or day beyond", async () => {
  await using db = await openTestStore({ memory: true });
  await seedStore(db.store, { models: [{ id: ID }], checks: hourly(40) });

  const day = await latencySeries(db.store, ID, "24h", NOW, 2_400);
  assert.equal(day.kind, "checks");
  assert.equal(day.kind === "checks" && day.points.length, 24);

  // More checks than may be drawn one by one: hourly buckets.
  const crowded = await latencySeries(db.store, ID, "7d", NOW, 100);
  assert.equal(crowded.kind, "buckets");
  assert.equal(crowded.kind === "buckets" && crowded.step, HOUR);
  assert.equal(crowded.kind === "buckets" && crowded.buckets.length, 7 * 24);

  const month = await latencySeries(db.store, ID, "30d", NOW, 2_400);
  assert.equal(month.kind, "buckets");
  if (month.kind !== "buckets") return;
  assert.equal(month.step, DAY);
  assert.equal(month.buckets.length, 30);
  const measured = month.buckets.reduce((n, b) => n + b.checks, 0);
  const timeouts = month.buckets.reduce((n, b) => n + (b.failures_by_category.timeout ?? 0), 0);
  // 30 buckets end with the partial day holding NOW: 29 whole days and 10 hours.
  const inside = hourly(40).filter((c) => c.checked_at >= Math.floor(NOW / DAY) * DAY - 29 * DAY);
  assert.equal(measured, inside.length);
  assert.equal(timeouts, inside.filter((c) => c.status === "timeout").length);
  assert.ok(month.buckets.every((b) => b.checks === 0 || b.p50_latency_ms === 1_000));
});

Deno.test("latencySeries: past the retention of raw checks, the rollups still draw the range", async () => {
  await using db = await openTestStore({ memory: true });
  await seedStore(db.store, { models: [{ id: ID }], checks: hourly(40) });
  await pruneChecks(db.store.client, { retentionDays: 3, now: NOW, batchSize: 500, pauseMs: 0 });

  // 7 days no longer fit in the raw checks: hourly buckets, every day of the week measured.
  const week = await latencySeries(db.store, ID, "7d", NOW, 2_400);
  assert.equal(week.kind, "buckets");
  assert.equal(week.kind === "buckets" && week.buckets.filter((b) => b.checks > 0).length, 7 * 24);

  const quarter = await latencySeries(db.store, ID, "90d", NOW, 2_400);
  assert.equal(quarter.kind, "buckets");
  if (quarter.kind !== "buckets") return;
  const days = quarter.buckets.filter((b) => b.checks > 0);
  assert.ok(days.length >= 40, `${days.length} days with checks, 40 seeded`);
  assert.ok(days[0].t <= NOW - 39 * DAY, "reaches back past the 3 days of raw checks");
  assert.equal(days.reduce((n, b) => n + b.checks + b.skipped, 0), 40 * 24);

  // A day is still drawn check by check: its raw checks are kept.
  assert.equal((await latencySeries(db.store, ID, "24h", NOW, 2_400)).kind, "checks");
});
