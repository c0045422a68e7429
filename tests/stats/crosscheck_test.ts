/**
 * The read models (rollups, latest state, raw checks at the ends of a range) against a plain
 * JavaScript computation over the raw rows, on random histories: ties in time, range boundaries
 * hit exactly, checks after `now` (the past read from raw checks), skipped checks, failures
 * blamed on OpenRouter (not measured either), null latencies, removed models, every range up to 1y (as totals and per bucket), and raw checks
 * pruned by retention.
 *
 * Percentiles come from histograms: the reference is the mean of the values in the 5 %-wide bin
 * of the exact nearest-rank value (asserted equal), and that is asserted within 5 % of the exact
 * value.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { CheckRow, ModelRow, Store } from "../../lib/db/store.ts";
import { CHECK_STATUSES, type CheckStatus } from "../../lib/domain/check.ts";
import { binOf, PERCENTILE_ERROR } from "../../lib/db/histogram.ts";
import { pruneChecks } from "../../lib/db/retention.ts";
import { healthOf, percentile, uptimePercent } from "../../lib/stats/health.ts";
import { modelHistory } from "../../lib/stats/history.ts";
import { statusLabel } from "../../lib/stats/labels.ts";
import { rangeStats, rangeStatsByModel } from "../../lib/stats/ranges.ts";
import { fleetSummary, modelSummaries, modelSummary } from "../../lib/stats/summaries.ts";
import {
  dailyUptime,
  fleetAvailability,
  modelBuckets,
  RANGE_BUCKETS,
} from "../../lib/stats/timeline.ts";
import {
  type BucketStats,
  type FleetPoint,
  type ModelSummary,
  type Range,
  RANGE_MS,
  RANGES,
  type RangeStats,
  type UptimeDay,
} from "../../lib/stats/types.ts";
import { openTestStore, type SeedCheck, seedStore } from "../seed.ts";

const NOW = Date.UTC(2026, 10, 27, 10, 30);
const SLOT = 10 * 60_000; // ten minutes: 24 h and 7 d ago are slot boundaries, ties are common
const DAY = 86_400_000;
const IDS = [
  "a/one:free",
  "b/two:free",
  "meta-llama/llama-3.3-70b-instruct:free",
  "x/<script>alert(1)</script>:free",
  "z/last:free",
];
const FAILURES: CheckStatus[] = CHECK_STATUSES.filter((s) => s !== "ok" && s !== "skipped");

const statusArb = fc.oneof(
  { weight: 5, arbitrary: fc.constant<CheckStatus>("ok") },
  { weight: 3, arbitrary: fc.constantFrom(...FAILURES) },
  { weight: 1, arbitrary: fc.constant<CheckStatus>("skipped") },
);
const msArb = fc.option(fc.integer({ min: 1, max: 30_000 }), { nil: null, freq: 6 });
const checkArb = fc.record({
  model: fc.nat({ max: IDS.length - 1 }),
  // Mostly the last two days, some up to 400 days back, a few after `now`.
  slot: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: -2 * 144, max: 0 }) },
    { weight: 2, arbitrary: fc.integer({ min: -100 * 144, max: 0 }) },
    { weight: 1, arbitrary: fc.integer({ min: -400 * 144, max: 0 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 6 }) },
  ),
  status: statusArb,
  latency_ms: msArb,
  ttft_ms: msArb,
  http_status: fc.constantFrom(null, 200, 404, 429, 502),
  // Blamed on OpenRouter (an incident): a failure so blamed is not measured.
  openrouter: fc.boolean(),
});
const worldArb = fc.record({
  present: fc.array(fc.boolean(), { minLength: IDS.length, maxLength: IDS.length }),
  catalogued: fc.array(fc.boolean(), { minLength: IDS.length, maxLength: IDS.length }),
  checks: fc.array(checkArb, { maxLength: 120 }),
});

// ---- The reference: straightforward JavaScript over every row ---------------------------

interface Raw {
  rows: CheckRow[]; // every check up to now, in (checked_at, id) order
  models: Map<string, ModelRow>;
  /** Raw checks before this were pruned (a whole hour), or null. */
  prunedBefore: number | null;
}

const HOUR = 3_600_000;

/** The first time in a range: (now − length, now], or its hour when that was pruned. */
function rangeStart(raw: Raw, range: Range): number {
  const first = NOW - RANGE_MS[range] + 1;
  return raw.prunedBefore !== null && first < raw.prunedBefore
    ? Math.floor(first / HOUR) * HOUR
    : first;
}

let current: Raw;
const inRange = (c: CheckRow, range: Range) =>
  c.checked_at >= rangeStart(current, range) && c.checked_at <= NOW;

/**
 * What a histogram gives for the nearest-rank percentile: the mean of the values in the exact
 * value's bin. Asserted within the documented bound of the exact value.
 */
function histPercentile(values: number[], p: number): number | null {
  const exact = percentile(values, p);
  if (exact === null) return null;
  const bin = values.filter((v) => binOf(v) === binOf(exact));
  const estimate = Math.round(bin.reduce((a, b) => a + b, 0) / bin.length);
  assert.ok(
    Math.abs(estimate - exact) <= PERCENTILE_ERROR * exact + 0.5,
    `p${p}: ${estimate} vs exact ${exact}`,
  );
  return estimate;
}
const blamed = (c: CheckRow) =>
  c.fault === "openrouter" && c.status !== "ok" && c.status !== "skipped";
const measured = (c: CheckRow) => c.status !== "skipped" && !blamed(c);
const sorted = (xs: (number | null)[]) =>
  xs.filter((x): x is number => x !== null).sort((a, b) => a - b);

function refRangeStats(raw: Raw, id: string, range: Range): RangeStats {
  return { range, ...refStatsOf(raw.rows.filter((c) => c.model_id === id && inRange(c, range))) };
}

function refStatsOf(mine: CheckRow[]): Omit<RangeStats, "range"> {
  const ok = mine.filter((c) => c.status === "ok");
  const failed = mine.filter((c) => measured(c) && c.status !== "ok");
  const failures: RangeStats["failures_by_category"] = {};
  for (const c of failed) {
    const s = c.status as Exclude<CheckStatus, "ok" | "skipped">;
    failures[s] = (failures[s] ?? 0) + 1;
  }
  const lat = sorted(ok.map((c) => c.latency_ms));
  const ttft = sorted(ok.map((c) => c.ttft_ms));
  return {
    checks: ok.length + failed.length,
    ok: ok.length,
    failed: failed.length,
    skipped: mine.filter((c) => c.status === "skipped").length,
    uptime: uptimePercent(ok.length, ok.length + failed.length),
    p50_latency_ms: histPercentile(lat, 50),
    p95_latency_ms: histPercentile(lat, 95),
    p99_latency_ms: histPercentile(lat, 99),
    p50_ttft_ms: histPercentile(ttft, 50),
    p95_ttft_ms: histPercentile(ttft, 95),
    p99_ttft_ms: histPercentile(ttft, 99),
    failures_by_category: failures,
  };
}

/** A model's stats per bucket of RANGE_BUCKETS[range], over every raw row (pruned or not). */
function refModelBuckets(raw: Raw, id: string, range: Range): BucketStats[] {
  const { step, count } = RANGE_BUCKETS[range];
  const first = firstBucket(step, count);
  const mine = raw.rows.filter((c) => c.model_id === id);
  return Array.from({ length: count }, (_, i) => {
    const t = first + i * step;
    return { t, ...refStatsOf(mine.filter((c) => c.checked_at >= t && c.checked_at < t + step)) };
  });
}

function refTableIds(raw: Raw): string[] {
  const present = [...raw.models.values()].filter((m) => m.present).map((m) => m.id).sort();
  // From each model's latest check: exactly the last 7 days, pruned or not.
  const recent = new Set(
    raw.rows.filter((c) => c.checked_at > NOW - RANGE_MS["7d"]).map((c) => c.model_id),
  );
  const others = [...recent].filter((id) => !present.includes(id)).sort();
  return [...present, ...others];
}

function refSummary(raw: Raw, id: string): ModelSummary {
  const mine = raw.rows.filter((c) => c.model_id === id);
  const all = mine.filter(measured);
  const last = all.at(-1) ?? null;
  let streak = 0;
  for (let i = all.length - 1; i >= 0 && all[i].status !== "ok"; i--) streak++;
  const day = refRangeStats(raw, id, "24h");
  const week = refRangeStats(raw, id, "7d");
  const okDay = mine.filter((c) => inRange(c, "24h") && c.status === "ok");
  const lat = sorted(okDay.map((c) => c.latency_ms));
  const m = raw.models.get(id);
  return {
    model_id: id,
    name: m?.name ?? id,
    context_length: m?.context_length ?? null,
    is_router: m?.is_router ?? false,
    present: m?.present ?? false,
    expiration_date: m?.expiration_date ?? null,
    health: healthOf({
      measured: all.length,
      latestOk: last ? last.status === "ok" : null,
      consecutiveFailures: streak,
      uptime24h: day.uptime,
      p50Latency24h: day.p50_latency_ms,
    }),
    latest_status: last && statusLabel(last.status, last.http_status),
    latest_category: last && last.status,
    latest_checked_at: last && new Date(last.checked_at).toISOString(),
    consecutive_failures: streak,
    uptime_24h: day.uptime,
    uptime_7d: week.uptime,
    avg_latency_24h: lat.length ? Math.round(lat.reduce((a, b) => a + b, 0) / lat.length) : null,
    p50_latency_24h: day.p50_latency_ms,
    p95_latency_24h: day.p95_latency_ms,
    p50_ttft_24h: day.p50_ttft_ms,
    checks_24h: day.checks,
    sparkline_data: all.slice(-24).map((c) => c.status === "ok" ? c.latency_ms : null),
  };
}

/** The first of `count` buckets of `step` ending with the one holding NOW; weeks from Mondays. */
function firstBucket(step: number, count: number): number {
  const monday = Date.UTC(1970, 0, 5);
  const offset = step === 7 * DAY ? monday : 0;
  const first = Math.floor((NOW - offset) / step) * step + offset - (count - 1) * step;
  if (step === 7 * DAY) assert.equal(new Date(first).getUTCDay(), 1, "weeks start on Mondays");
  return first;
}

function refBuckets(rows: CheckRow[], step: number, count: number): FleetPoint[] {
  const first = firstBucket(step, count);
  return Array.from({ length: count }, (_, i) => {
    const t = first + i * step;
    const inside = rows.filter((c) => c.checked_at >= t && c.checked_at < t + step && measured(c));
    const ok = inside.filter((c) => c.status === "ok").length;
    return { t, checks: inside.length, ok, availability: uptimePercent(ok, inside.length) };
  });
}

function refDaily(raw: Raw, id: string, days: number): UptimeDay[] {
  const mine = raw.rows.filter((c) => c.model_id === id);
  return refBuckets(mine, DAY, days).map((p) => {
    const day = mine.filter((c) => c.checked_at >= p.t && c.checked_at < p.t + DAY);
    const skipped = day.filter((c) => c.status === "skipped").length;
    const openrouter = day.filter(blamed).length;
    return {
      date: new Date(p.t).toISOString().slice(0, 10),
      checks: p.checks,
      ok: p.ok,
      uptime: p.availability,
      skipped,
      openrouter,
      not_measured: p.checks > 0
        ? null
        : openrouter > 0
        ? "openrouter"
        : skipped > 0
        ? "quota"
        : "no_scan",
    };
  });
}

// ---- The property -------------------------------------------------------------------------

async function readRaw(store: Store): Promise<Raw> {
  const rows = (await store.listChecks({})).filter((c) => c.checked_at <= NOW);
  const models = new Map((await store.listModels()).map((m) => [m.id, m]));
  return { rows, models, prunedBefore: null };
}

/** Compares every read model with the reference over `raw` (read before any pruning). */
async function compare(store: Store, raw: Raw): Promise<void> {
  current = raw;
  const ids = refTableIds(raw);

  const table = await modelSummaries(store, NOW);
  assert.deepEqual(table, ids.map((id) => refSummary(raw, id)));

  const fleet = await fleetSummary(store, NOW);
  const present = table.filter((m) => m.present);
  const day = raw.rows.filter((c) => inRange(c, "24h") && measured(c));
  assert.deepEqual(fleet, {
    total_models: present.length,
    healthy_count: present.filter((m) => m.health === "healthy").length,
    degraded_count: present.filter((m) => m.health === "degraded").length,
    down_count: present.filter((m) => m.health === "down").length,
    no_data_count: present.filter((m) => m.health === "no_data").length,
    last_updated: raw.rows.length ? new Date(raw.rows.at(-1)!.checked_at).toISOString() : null,
    fleet_uptime_24h: uptimePercent(day.filter((c) => c.status === "ok").length, day.length),
  });

  for (const range of RANGES) {
    const all = await rangeStatsByModel(store, range, NOW);
    for (const id of ids) {
      const expected = refRangeStats(raw, id, range);
      const got = all.get(id);
      // A model of the table without checks in range has no entry (the API fills in zeros).
      if (got === undefined) assert.equal(expected.checks + expected.skipped, 0);
      else assert.deepEqual(got, expected, `${id} ${range}`);
    }
    const { step, count } = RANGE_BUCKETS[range];
    assert.deepEqual(await fleetAvailability(store, range, NOW), refBuckets(raw.rows, step, count));
  }

  for (const id of IDS) {
    const known = raw.models.has(id) || raw.rows.some((c) => c.model_id === id) ||
      (await store.listChecks({ modelId: id, limit: 1 })).length > 0;
    const one = await modelSummary(store, id, NOW);
    if (known) assert.deepEqual(one, refSummary(raw, id));
    else assert.equal(one, null);
    for (const range of RANGES) {
      assert.deepEqual(await rangeStats(store, id, range, NOW), refRangeStats(raw, id, range));
      assert.deepEqual(await modelBuckets(store, id, range, NOW), refModelBuckets(raw, id, range));
    }
    assert.deepEqual(await dailyUptime(store, id, 90, NOW), refDaily(raw, id, 90));
    const history = await modelHistory(store, id, "30d", NOW, 7);
    const kept = (c: CheckRow) => raw.prunedBefore === null || c.checked_at >= raw.prunedBefore;
    const expected = raw.rows.filter((c) =>
      c.model_id === id && c.checked_at > NOW - RANGE_MS["30d"] && c.checked_at <= NOW && kept(c)
    ).slice(-7);
    assert.deepEqual(
      history.map((p) => [p.run_datetime, p.status, p.latency_ms]),
      expected.map((c) => [new Date(c.checked_at).toISOString(), c.status, c.latency_ms]),
    );
  }
}

type World = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;

async function seedWorld(store: Store, world: World, future: boolean): Promise<void> {
  const checks: SeedCheck[] = world.checks
    .filter((c) => future || c.slot <= 0)
    .map((c) => ({
      model_id: IDS[c.model],
      checked_at: NOW + c.slot * SLOT,
      status: c.status,
      latency_ms: c.latency_ms,
      ttft_ms: c.ttft_ms,
      http_status: c.http_status,
      fault: c.openrouter && c.status !== "ok" ? "openrouter" as const : null,
    }));
  const mentioned = new Set(checks.map((c) => c.model_id));
  await seedStore(store, {
    // Catalogued models (and every model a check mentions, which seedStore adds).
    models: IDS.filter((id, i) => world.catalogued[i] || mentioned.has(id))
      .map((id) => ({ id, present: world.present[IDS.indexOf(id)] })),
    checks,
  });
}

Deno.test("crosscheck: read models equal a plain computation over the raw rows", async () => {
  await fc.assert(
    fc.asyncProperty(worldArb, fc.boolean(), async (world, future) => {
      // Without checks after `now`, the latest state is read from model_state; with them, the
      // past is read from the raw checks.
      await using db = await openTestStore({ memory: true });
      await seedWorld(db.store, world, future);
      await compare(db.store, await readRaw(db.store));
    }),
    { numRuns: 80 },
  );
});

Deno.test("crosscheck: after pruning, ranges start on the hour where raw checks are gone", async () => {
  await fc.assert(
    fc.asyncProperty(worldArb, fc.integer({ min: 1, max: 120 }), async (world, days) => {
      await using db = await openTestStore({ memory: true });
      await seedWorld(db.store, world, false);
      const raw = await readRaw(db.store);
      const report = await pruneChecks(db.store.client, {
        retentionDays: days,
        now: NOW,
        batchSize: 7,
        pauseMs: 0,
      });
      assert.equal(report.cutoff, Math.floor((NOW - days * 86_400_000) / HOUR) * HOUR);
      assert.equal(report.deleted, raw.rows.filter((c) => c.checked_at < report.cutoff!).length);
      await compare(db.store, { ...raw, prunedBefore: report.cutoff });
    }),
    { numRuns: 40 },
  );
});

Deno.test("crosscheck: a generated realistic week", async () => {
  const { generateHistory } = await import("../seed.ts");
  await using db = await openTestStore();
  await seedStore(db.store, generateHistory({ now: NOW, models: 14, days: 8, seed: 7 }));
  await compare(db.store, await readRaw(db.store));
});
