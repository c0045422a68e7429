/** Issue 15 part 7: checks blamed on OpenRouter are not measured, in every uptime. */
import assert from "node:assert/strict";
import { rangeStats, rangeStatsByModel } from "../../lib/stats/ranges.ts";
import { dailyUptime, fleetAvailability, modelBuckets } from "../../lib/stats/timeline.ts";
import { notMeasuredReason } from "../../lib/stats/not_measured.ts";
import { fleetSummary, modelSummaries, modelSummary } from "../../lib/stats/summaries.ts";
import type { ModelSummary } from "../../lib/stats/types.ts";
import { runAlertPass } from "../../lib/alerts/engine.ts";
import { DEFAULT_ALERT_RULES } from "../../lib/domain/alerts.ts";
import { recommend } from "../../lib/recommend/mod.ts";
import { scanWorld } from "../scan/helpers.ts";
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

// ---- The models table, health, streaks and alerts (the rollups and model_state know it) ------

const O = "y/other:free";
const N = "z/only-incidents:free";

/** A model's real failure, then three runs of an OpenRouter incident (every model failing). */
const INCIDENT = [
  { model_id: M, checked_at: day(22, 1), status: "ok" as const, latency_ms: 900 },
  { model_id: M, checked_at: day(22, 2), status: "unavailable" as const, run: "i0" },
  { model_id: O, checked_at: day(22, 2), status: "unavailable" as const, run: "i0" },
  { model_id: N, checked_at: day(24, 1), status: "ok" as const },
  { model_id: M, checked_at: day(27, 1), status: "timeout" as const },
  { model_id: O, checked_at: day(27, 1), status: "ok" as const },
  ...[2, 3, 4].flatMap((h) =>
    [M, O, N].map((model_id) => ({
      model_id,
      checked_at: day(27, h),
      status: "unavailable" as const,
      http_status: 502,
      run: `i${h}`,
    }))
  ),
];

/** The incident's checks blamed on OpenRouter after their runs (`blame`), or left as failures. */
async function incident(blame: boolean, checks = INCIDENT) {
  const db = await openTestStore();
  await seedStore(db.store, { checks });
  if (blame) {
    const runs = await db.store.client.execute(
      "SELECT DISTINCT run_id FROM checks WHERE status = 'unavailable' ORDER BY run_id",
    );
    for (const r of runs.rows) {
      await db.store.setChecksFault(Number(r.run_id), [M, O, N], "openrouter");
    }
  }
  return db;
}

/** The same history without the incident's checks at all. */
const withoutIncident = () => incident(false, INCIDENT.filter((c) => c.status !== "unavailable"));

/** What the table and the API say of a model's uptime and state. */
const view = (s: ModelSummary | null) =>
  s && {
    uptime_24h: s.uptime_24h,
    uptime_7d: s.uptime_7d,
    checks_24h: s.checks_24h,
    health: s.health,
    consecutive_failures: s.consecutive_failures,
    latest_category: s.latest_category,
    latest_checked_at: s.latest_checked_at,
    sparkline_data: s.sparkline_data,
  };

Deno.test("not measured: after an incident a model's uptimes, health and streak are as if those checks weren't there", async () => {
  await using blamed = await incident(true);
  await using twin = await withoutIncident();
  await using unblamed = await incident(false);
  const mine = view(await modelSummary(blamed.store, M, NOW));
  assert.deepEqual(mine, view(await modelSummary(twin.store, M, NOW)));
  assert.equal(mine?.uptime_24h, 0, "the model's own timeout, and nothing else, in 24 h");
  assert.equal(mine?.uptime_7d, 50);
  assert.equal(mine?.consecutive_failures, 1, "the streak is the model's own failure");
  assert.equal(mine?.health, "degraded", "one failure after an ok one: not down");
  // The control: counted as failures, the incident would make it down.
  const counted = await modelSummary(unblamed.store, M, NOW);
  assert.equal(counted?.health, "down");
  assert.equal(counted?.consecutive_failures, 5);

  const table = new Map((await modelSummaries(blamed.store, NOW)).map((s) => [s.model_id, s]));
  const twinTable = new Map((await modelSummaries(twin.store, NOW)).map((s) => [s.model_id, s]));
  for (const id of [M, O, N]) assert.deepEqual(view(table.get(id)!), view(twinTable.get(id)!), id);
  const fleet = await fleetSummary(blamed.store, NOW);
  assert.equal(fleet.fleet_uptime_24h, (await fleetSummary(twin.store, NOW)).fleet_uptime_24h);
  assert.equal(fleet.fleet_uptime_24h, 50, "M's timeout and O's ok");
  assert.equal(fleet.down_count, 0);
  assert.equal((await fleetSummary(unblamed.store, NOW)).down_count, 3);
});

Deno.test("not measured: a window holding only not-measured checks has no uptime, not 0 %", async () => {
  await using db = await incident(true);
  const n = await modelSummary(db.store, N, NOW);
  assert.equal(n?.uptime_24h, null);
  assert.equal(n?.checks_24h, 0);
  assert.equal(n?.health, "no_data");
  assert.equal(n?.consecutive_failures, 0);
  assert.equal(n?.latest_category, "ok", "its latest measured check is the ok of 24 Nov");
  assert.equal(n?.uptime_7d, 100);
  const day24h = await rangeStats(db.store, N, "24h", NOW);
  assert.equal(day24h.uptime, null);
  assert.equal(day24h.checks, 0);
  assert.equal(day24h.failed, 0);
  const [today] = await dailyUptime(db.store, N, 1, NOW);
  assert.equal(today.not_measured, "openrouter");
  assert.equal(today.openrouter, 3);
});

Deno.test("not measured: an incident fires no 'model down' alert; the same failures counted would", async () => {
  await using blamed = await incident(true);
  await using unblamed = await incident(false);
  const rules = DEFAULT_ALERT_RULES; // down after 3 failures in a row
  const events = await runAlertPass(blamed.store, rules, NOW, "test");
  assert.deepEqual(events.filter((e) => e.kind === "model_down"), []);
  const control = await runAlertPass(unblamed.store, rules, NOW, "test");
  assert.deepEqual(
    control.filter((e) => e.kind === "model_down").map((e) => e.model_id).sort(),
    [M, O, N].sort(),
  );
});

Deno.test("not measured: past the raw checks' retention the rollups alone still leave them out", async () => {
  await using blamed = await incident(true);
  await using twin = await withoutIncident();
  for (const db of [blamed, twin]) {
    // Keeps 3 days: 22 and 24 Nov are only in the rollups now.
    const report = await db.store.pruneChecks({ retentionDays: 3, now: NOW, reclaim: false });
    assert.ok(report.deleted > 0);
  }
  const gone = await blamed.store.client.execute(
    "SELECT COUNT(*) AS n FROM checks WHERE checked_at < ?",
    [day(25)],
  );
  assert.equal(gone.rows[0].n, 0, "the raw checks of the first incident are gone");
  for (const id of [M, O, N]) {
    assert.deepEqual(
      view(await modelSummary(blamed.store, id, NOW)),
      view(await modelSummary(twin.store, id, NOW)),
      id,
    );
    assert.deepEqual(
      await rangeStats(blamed.store, id, "7d", NOW),
      await rangeStats(twin.store, id, "7d", NOW),
      id,
    );
  }
  const week = await rangeStats(blamed.store, O, "7d", NOW);
  assert.equal(week.uptime, 100, "O's 22 Nov incident failure stays out, from the rollups alone");
  const [d22] = await dailyUptime(blamed.store, M, 6, NOW);
  assert.deepEqual([d22.date, d22.checks, d22.ok, d22.openrouter], ["2026-11-22", 1, 1, 1]);
});

Deno.test("not measured: the recommendation does not punish a model for an OpenRouter incident", async () => {
  await using blamed = await incident(true);
  await using unblamed = await incident(false);
  const criteria = { minContext: null, tools: false, modalities: [], limit: 5 };
  const best = await recommend(blamed.store, criteria, NOW);
  const o = best.models.find((m) => m.model_id === O);
  assert.equal(o?.rank, 1, "O's own check answered; the incident is not its fault");
  assert.deepEqual([o?.checks_24h, o?.ok_24h, o?.uptime_24h], [1, 1, 100]);
  const counted = await recommend(unblamed.store, criteria, NOW);
  assert.equal(counted.models.find((m) => m.model_id === O), undefined, "latest check failed");
});

Deno.test("not measured: real scans through an OpenRouter incident leave the models healthy and fire no alert", async () => {
  const flaky = Array.from({ length: 4 }, (_, i) => ({
    id: `m/model-${i}:free`,
    // The first scan answers; the next three meet OpenRouter failing every model at once.
    behaviors: ["ok" as const, "http_502" as const, "http_502" as const, "http_502" as const],
  }));
  await using world = await scanWorld([...flaky, { id: "z/fine:free" }]);
  const incidents: (string | null)[] = [];
  for (let i = 0; i < 4; i++) incidents.push((await world.scan({ maxRetries: 0 })).incident);
  assert.deepEqual(incidents.map((x) => x !== null), [false, true, true, true]);
  const now = Date.now();
  for (const { id } of flaky) {
    const s = await modelSummary(world.store, id, now);
    assert.deepEqual(
      [s?.health, s?.consecutive_failures, s?.latest_category, s?.uptime_24h, s?.checks_24h],
      ["healthy", 0, "ok", 100, 1],
      id,
    );
  }
  assert.equal((await fleetSummary(world.store, now)).down_count, 0);
  const events = await runAlertPass(world.store, DEFAULT_ALERT_RULES, now, "test");
  assert.deepEqual(events.filter((e) => e.kind === "model_down"), []);
});
