import assert from "node:assert/strict";
import { dailyUptime, fleetAvailability } from "../../lib/stats/timeline.ts";
import { openTestStore, seedStore } from "../seed.ts";

const NOW = Date.UTC(2026, 10, 27, 10, 30); // Friday 27 November 2026, 10:30 UTC
const H = 3_600_000;
const D = 24 * H;
const M = "x/model:free";

Deno.test("dailyUptime: exactly `days` UTC days ending today, gaps as no data", async () => {
  await using db = await openTestStore();
  await seedStore(db.store, {
    checks: [
      { model_id: M, checked_at: Date.UTC(2026, 10, 22, 23, 59, 59, 999), status: "timeout" },
      { model_id: M, checked_at: Date.UTC(2026, 10, 23), status: "ok" },
      { model_id: M, checked_at: Date.UTC(2026, 10, 25, 1), status: "ok" },
      { model_id: M, checked_at: Date.UTC(2026, 10, 25, 2), status: "unavailable" },
      { model_id: M, checked_at: Date.UTC(2026, 10, 25, 3), status: "skipped" },
      { model_id: M, checked_at: Date.UTC(2026, 10, 26, 3), status: "skipped" },
      { model_id: M, checked_at: Date.UTC(2026, 10, 27, 10), status: "ok" },
      { model_id: M, checked_at: Date.UTC(2026, 10, 27, 11), status: "not_found" }, // after now
      { model_id: "other/model:free", checked_at: Date.UTC(2026, 10, 24, 5), status: "ok" },
    ],
  });
  const none = { skipped: 0, openrouter: 0, not_measured: null };
  assert.deepEqual(await dailyUptime(db.store, M, 5, NOW), [
    { date: "2026-11-23", checks: 1, ok: 1, uptime: 100, ...none },
    { ...none, date: "2026-11-24", checks: 0, ok: 0, uptime: null, not_measured: "no_scan" },
    { ...none, date: "2026-11-25", checks: 2, ok: 1, uptime: 50, skipped: 1 },
    // only skipped: not measured, and why
    {
      ...none,
      date: "2026-11-26",
      checks: 0,
      ok: 0,
      uptime: null,
      skipped: 1,
      not_measured: "quota",
    },
    { date: "2026-11-27", checks: 1, ok: 1, uptime: 100, ...none },
  ]);
  assert.deepEqual(await dailyUptime(db.store, M, 1, NOW), [
    { date: "2026-11-27", checks: 1, ok: 1, uptime: 100, ...none },
  ]);
  const quarter = await dailyUptime(db.store, M, 90, NOW);
  assert.equal(quarter.length, 90);
  assert.equal(quarter[0].date, "2026-08-30");
  assert.equal(quarter.filter((d) => d.checks > 0).length, 4); // 22 Nov is in now
  await assert.rejects(() => dailyUptime(db.store, M, 0, NOW), RangeError);
  await assert.rejects(() => dailyUptime(db.store, M, 1.5, NOW), RangeError);
});

Deno.test("fleetAvailability: hourly buckets for 24h and 7d, every model, gaps as no data", async () => {
  await using db = await openTestStore();
  await seedStore(db.store, {
    checks: [
      { model_id: "a/a:free", checked_at: Date.UTC(2026, 10, 26, 10, 59, 59), status: "ok" },
      { model_id: "a/a:free", checked_at: Date.UTC(2026, 10, 26, 11), status: "ok" },
      { model_id: "b/b:free", checked_at: Date.UTC(2026, 10, 26, 11, 30), status: "timeout" },
      { model_id: "a/a:free", checked_at: Date.UTC(2026, 10, 27, 10, 15), status: "ok" },
      { model_id: "b/b:free", checked_at: Date.UTC(2026, 10, 27, 10, 15), status: "skipped" },
      { model_id: "a/a:free", checked_at: Date.UTC(2026, 10, 27, 10, 45), status: "timeout" },
    ],
  });
  const day = await fleetAvailability(db.store, "24h", NOW);
  assert.equal(day.length, 24);
  assert.equal(day[0].t, Date.UTC(2026, 10, 26, 11));
  assert.equal(day[23].t, Date.UTC(2026, 10, 27, 10));
  assert.ok(day.every((p, i) => i === 0 || p.t - day[i - 1].t === H));
  assert.deepEqual(day[0], { t: Date.UTC(2026, 10, 26, 11), checks: 2, ok: 1, availability: 50 });
  assert.deepEqual(day[23], { t: Date.UTC(2026, 10, 27, 10), checks: 1, ok: 1, availability: 100 });
  assert.ok(day.slice(1, 23).every((p) => p.checks === 0 && p.availability === null));

  const week = await fleetAvailability(db.store, "7d", NOW);
  assert.equal(week.length, 168);
  assert.equal(week[0].t, Date.UTC(2026, 10, 20, 11));
  assert.equal(week.reduce((n, p) => n + p.checks, 0), 4); // 10:59:59 the day before is in

  const month = await fleetAvailability(db.store, "30d", NOW);
  assert.equal(month.length, 30);
  assert.equal(month[0].t, Date.UTC(2026, 9, 29));
  assert.deepEqual(month[28], { t: Date.UTC(2026, 10, 26), checks: 3, ok: 2, availability: 66.7 });
  assert.deepEqual(month[29], { t: Date.UTC(2026, 10, 27), checks: 1, ok: 1, availability: 100 });

  const quarter = await fleetAvailability(db.store, "90d", NOW);
  assert.equal(quarter.length, 90);
  assert.equal(quarter[0].t, Date.UTC(2026, 10, 27) - 89 * D);
  assert.equal(quarter.at(-1)?.t, Date.UTC(2026, 10, 27));
});
