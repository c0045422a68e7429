/**
 * Uptime in time buckets aligned to UTC hours or days, every bucket present (an empty one has
 * `checks: 0` and a null uptime): one model's daily strip, and the whole fleet's availability.
 */
import type { Store } from "../db/store.ts";
import { num } from "../db/values.ts";
import { uptimePercent } from "./health.ts";
import { DAY_MS, HOUR_MS } from "./sql.ts";
import type { FleetPoint, Range, UptimeDay } from "./types.ts";

/** Longest daily strip `dailyUptime` serves. */
export const MAX_DAYS = 366;

/**
 * Exactly `days` UTC days ending with today (the day holding `now`), oldest first; checks after
 * `now` are left out. Throws a RangeError unless `days` is an integer from 1 to MAX_DAYS.
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
  const counts = await bucketCounts(
    store,
    `SELECT (checked_at - :origin) / :step AS b, SUM(status <> 'skipped') AS measured,
      SUM(status = 'ok') AS ok
    FROM checks WHERE model_id = :id AND checked_at >= :origin AND checked_at <= :now
    GROUP BY b`,
    { id, origin: BigInt(grid.origin), step: BigInt(DAY_MS), now },
  );
  return grid.starts.map((t, i) => {
    const c = counts.get(i) ?? { measured: 0, ok: 0 };
    return {
      date: new Date(t).toISOString().slice(0, 10),
      checks: c.measured,
      ok: c.ok,
      uptime: uptimePercent(c.ok, c.measured),
    };
  });
}

/** Bucket width and count per range: hourly for 24h and 7d, daily for 30d and 90d. */
export const FLEET_BUCKETS: Record<Range, { step: number; count: number }> = {
  "24h": { step: HOUR_MS, count: 24 },
  "7d": { step: HOUR_MS, count: 7 * 24 },
  "30d": { step: DAY_MS, count: 30 },
  "90d": { step: DAY_MS, count: 90 },
};

/**
 * The share of measured checks of every model (present or not) answered correctly, per bucket:
 * the buckets of FLEET_BUCKETS[range], the last one the (partial) hour or day holding `now`.
 */
export async function fleetAvailability(
  store: Store,
  range: Range,
  now: number,
): Promise<FleetPoint[]> {
  const { step, count } = FLEET_BUCKETS[range];
  const grid = bucketGrid(now, step, count);
  const counts = await bucketCounts(
    store,
    `SELECT (checked_at - :origin) / :step AS b, SUM(status <> 'skipped') AS measured,
      SUM(status = 'ok') AS ok
    FROM checks WHERE checked_at >= :origin AND checked_at <= :now
    GROUP BY b`,
    { origin: BigInt(grid.origin), step: BigInt(step), now },
  );
  return grid.starts.map((t, i) => {
    const c = counts.get(i) ?? { measured: 0, ok: 0 };
    return { t, checks: c.measured, ok: c.ok, availability: uptimePercent(c.ok, c.measured) };
  });
}

/** `count` bucket starts of width `step`, aligned to multiples of `step`, the last holding `now`. */
function bucketGrid(
  now: number,
  step: number,
  count: number,
): { origin: number; starts: number[] } {
  const last = Math.floor(now / step) * step;
  const origin = last - (count - 1) * step;
  return { origin, starts: Array.from({ length: count }, (_, i) => origin + i * step) };
}

/**
 * Runs a bucketing statement. Its `:origin` and `:step` must be bound as bigints: libsql binds a
 * JavaScript number as REAL, and `/` would then divide in floating point (no buckets at all).
 */
async function bucketCounts(
  store: Store,
  sql: string,
  args: Record<string, string | number | bigint>,
): Promise<Map<number, { measured: number; ok: number }>> {
  const rs = await store.client.execute({ sql, args });
  return new Map(rs.rows.map((r) => [num(r.b), { measured: num(r.measured), ok: num(r.ok) }]));
}
