/** Issue 15 part 7: checks blamed on OpenRouter are not measured, in every uptime. */
import assert from "node:assert/strict";
import { rangeStats, rangeStatsByModel } from "../../lib/stats/ranges.ts";
import { dailyUptime, fleetAvailability, modelBuckets } from "../../lib/stats/timeline.ts";
import { notMeasuredReason } from "../../lib/stats/not_measured.ts";
import { openTestStore, seedStore } from "../seed.ts";

const NOW = Date.UTC(2026, 10, 27, 10, 30);
const M = "x/model:free";
const day = (d: number, h = 0) => Date.UTC(2026, 10, d, h);

/** Seeds checks, then blames some on OpenRouter after the fact, as an incident does. */
async function seeded() {
  const db = await openTestStore();
  await seedStore(db.store, {
    checks: [
      // 25 Nov: an incident (4 of 5 failed at once with a 502), then a good check.
      ...[1, 2, 3, 4].map((h) => ({
        model_id: M,
        checked_at: day(25, h),
        status: "unavailable" as const,
        http_status: 502,
      })),
      { model_id: M, checked_at: day(25, 5), status: "ok" },
      // 26 Nov: only the incident.
      { model_id: M, checked_at: day(26, 1), status: "unavailable", http_status: 502 },
      // 27 Nov: a real failure of the model, and an ok.
      { model_id: M, checked_at: day(27, 1), status: "timeout" },
      { model_id: M, checked_at: day(27, 2), status: "ok" },
      { model_id: "y/other:free", checked_at: day(27, 3), status: "ok" },
    ],
  });
  // As lib/scan/scan.ts does once a run shows an incident: the rollups move them too.
  const runs = await db.store.client.execute({
    sql: "SELECT DISTINCT run_id FROM checks WHERE status = 'unavailable' AND model_id = ?",
    args: [M],
  });
  for (const r of runs.rows) await db.store.setChecksFault(Number(r.run_id), [M], "openrouter");
  return db;
}

Deno.test("not measured: OpenRouter's failures leave the daily strip, a day of nothing else says why", async () => {
  await using db = await seeded();
  const days = await dailyUptime(db.store, M, 4, NOW);
  assert.deepEqual(
    days.map((d) => [d.date, d.checks, d.ok, d.uptime, d.openrouter, d.not_measured]),
    [
      ["2026-11-24", 0, 0, null, 0, "no_scan"],
      ["2026-11-25", 1, 1, 100, 4, null],
      ["2026-11-26", 0, 0, null, 1, "openrouter"],
      ["2026-11-27", 2, 1, 50, 0, null],
    ],
  );
});

Deno.test("not measured: range uptime, the models table's ranges and the fleet leave them out", async () => {
  await using db = await seeded();
  const week = await rangeStats(db.store, M, "7d", NOW);
  assert.equal(week.checks, 3);
  assert.equal(week.ok, 2);
  assert.equal(week.failed, 1);
  assert.deepEqual(week.failures_by_category, { timeout: 1 });
  assert.equal(Math.round(week.uptime! * 10) / 10, 66.7);
  const byModel = await rangeStatsByModel(db.store, "7d", NOW);
  assert.equal(byModel.get(M)?.checks, 3);
  assert.equal(byModel.get(M)?.uptime, week.uptime);

  const fleet = await fleetAvailability(db.store, "7d", NOW);
  assert.equal(fleet.reduce((n, p) => n + p.checks, 0), 4, "3 of the model, 1 of the other");
  const incidentHour = fleet.find((p) => p.t === day(26, 1))!;
  assert.equal(incidentHour.checks, 0);
  assert.equal(incidentHour.availability, null, "not 0 %: not measured");

  const buckets = await modelBuckets(db.store, M, "7d", NOW);
  assert.equal(buckets.find((b) => b.t === day(25, 1))?.uptime, null);
  assert.equal(buckets.find((b) => b.t === day(27, 1))?.uptime, 0);
});

Deno.test("not measured: the reason, OpenRouter first, then skipped checks, else no scan", () => {
  assert.equal(notMeasuredReason(2, 5), "openrouter");
  assert.equal(notMeasuredReason(0, 5), "quota");
  assert.equal(notMeasuredReason(0, 0), "no_scan");
});
