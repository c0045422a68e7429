/**
 * Uptime in time buckets aligned to UTC hours or days, every bucket present (an empty one has
 * `checks: 0` and a null uptime): one model's daily strip, and the whole fleet's availability.
 * Read from the rollups (the fleet's are kept under FLEET_KEY), raw checks only for the current
 * partial hour.
 */
import type { Store } from "../db/store.ts";
import { DAY_MS, HOUR_MS } from "../db/rollups.ts";
import { uptimePercent } from "./health.ts";
import { notMeasuredReason } from "./not_measured.ts";
import { emptyRangeStats, toRangeStats } from "./ranges.ts";
import {
  type Columns,
  type KeyScope,
  readContext,
  readTotalsBatch,
  type Totals,
} from "./rollup_read.ts";
import type { BucketStats, FleetPoint, Range, UptimeDay } from "./types.ts";

/** Longest daily strip `dailyUptime` serves. */
export const MAX_DAYS = 366;

/**
 * Exactly `days` UTC days ending with today (the day holding `now`), oldest first; checks after
 * `now` are left out. Checks blamed on OpenRouter are not measured, like skipped ones; a day
 * with nothing measured says why. Throws a RangeError unless `days` is an integer from 1 to
 * MAX_DAYS.
 */
export async function dailyUptime(
  store: Store,
  id: string,
  days: number,
  now: number,
): Promise<UptimeDay[]> {
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new RangeError(`days must be an integer from 1 to ${MAX_DAYS}, got ${days}`);
  }
  const grid = bucketGrid(now, DAY_MS, days);
  const totals = await bucketTotals(store, { kind: "model" }, { id }, grid, DAY_MS, now, "all");
  return grid.starts.map((t, i) => {
    const c = totals.get(i) ?? { checks: 0, ok: 0, skipped: 0, openrouter: 0 };
    return {
      date: new Date(t).toISOString().slice(0, 10),
      checks: c.checks,
      ok: c.ok,
      uptime: uptimePercent(c.ok, c.checks),
      skipped: c.skipped,
      openrouter: c.openrouter,
      not_measured: c.checks > 0 ? null : notMeasuredReason(c.openrouter, c.skipped),
    };
  });
}

export const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05T00:00Z, the first Monday after the epoch. */
const MONDAY = 4 * DAY_MS;

/** Bucket width and count per range: hourly for 24h and 7d, daily for 30d and 90d, weekly for 1y. */
export const RANGE_BUCKETS: Record<Range, { step: number; count: number }> = {
  "24h": { step: HOUR_MS, count: 24 },
  "7d": { step: HOUR_MS, count: 7 * 24 },
  "30d": { step: DAY_MS, count: 30 },
  "90d": { step: DAY_MS, count: 90 },
  // Weeks (Monday to Sunday, UTC): 365 daily points and their failure bars made a chart's SVG
  // over 100 KB.
  "1y": { step: WEEK_MS, count: 53 },
};

/**
 * The share of measured checks of every model (present or not) answered correctly, per bucket:
 * the buckets of RANGE_BUCKETS[range], the last one the (partial) hour, day or week holding `now`.
 */
export async function fleetAvailability(
  store: Store,
  range: Range,
  now: number,
): Promise<FleetPoint[]> {
  const { step, count } = RANGE_BUCKETS[range];
  const grid = bucketGrid(now, step, count);
  const totals = await bucketTotals(store, { kind: "fleet" }, {}, grid, step, now, "uptime");
  return grid.starts.map((t, i) => {
    const c = totals.get(i) ?? { checks: 0, ok: 0 };
    return { t, checks: c.checks, ok: c.ok, availability: uptimePercent(c.ok, c.checks) };
  });
}

/**
 * One model's measurements per bucket of RANGE_BUCKETS[range] (hourly for 24h and 7d, daily
 * beyond), every bucket present, oldest first: percentiles come from the rollups' histograms,
 * so a range reaches back past the retention of raw checks.
 */
export async function modelBuckets(
  store: Store,
  id: string,
  range: Range,
  now: number,
): Promise<BucketStats[]> {
  const { step, count } = RANGE_BUCKETS[range];
  const grid = bucketGrid(now, step, count);
  const totals = await bucketTotals(store, { kind: "model" }, { id }, grid, step, now, "all");
  return grid.starts.map((t, i) => {
    const c = totals.get(i);
    const { range: _, ...stats } = c ? toRangeStats(range, c) : emptyRangeStats(range);
    return { t, ...stats };
  });
}

/** `count` bucket starts of width `step` (weeks from Mondays), the last holding `now`. */
function bucketGrid(
  now: number,
  step: number,
  count: number,
): { origin: number; starts: number[] } {
  // Weeks start on Mondays (the epoch was a Thursday); hours and days on multiples of `step`.
  const offset = step === WEEK_MS ? MONDAY : 0;
  const last = Math.floor((now - offset) / step) * step + offset;
  const origin = last - (count - 1) * step;
  return { origin, starts: Array.from({ length: count }, (_, i) => origin + i * step) };
}

/** The totals of `columns` per bucket index, over [origin, now]. */
async function bucketTotals(
  store: Store,
  scope: KeyScope,
  args: Record<string, string>,
  grid: { origin: number },
  step: number,
  now: number,
  columns: Columns,
): Promise<Map<number, Totals>> {
  const ctx = await readContext(store, now, args.id);
  const { totals: [list] } = await readTotalsBatch(store, ctx, [{
    q: {
      scope,
      from: grid.origin,
      to: Math.floor(now) + 1,
      prunedBefore: ctx.pruned,
      columns,
      step,
      fresh: ctx.fresh,
    },
    args,
  }]);
  return new Map(list.map((t) => [t.slot, t]));
}
