/**
 * One model measured from several places: its checks grouped by the region of the scanner that
 * made them (OPENROUTER_SCOUT_REGION; NULL for untagged scanners). Read from the raw checks of
 * one model over one range, a range of the (model_id, checked_at) index: at most a few
 * thousand rows even over 90 days of hourly scans from several regions.
 */
import type { Store } from "../db/store.ts";
import { num, numOrNull, strOrNull } from "../db/values.ts";
import { blamedSql, FAILURE_STATUSES } from "../db/rollups.ts";
import { percentile, uptimePercent } from "./health.ts";
import { isoOrNull, jsonNumbers, rangeFrom, sortedArraySql } from "./sql.ts";
import type { Range, RangeStats } from "./types.ts";

/** A model's measurements from one region over a range (raw checks: within retention). */
export interface RegionStats extends
  Pick<
    RangeStats,
    | "checks"
    | "ok"
    | "failed"
    | "skipped"
    | "uptime"
    | "p50_latency_ms"
    | "p95_latency_ms"
    | "p50_ttft_ms"
    | "p95_ttft_ms"
  > {
  /** OPENROUTER_SCOUT_REGION of the scanners; null for checks made without one. */
  region: string | null;
  /** ISO 8601 of the region's newest check in the range. */
  last_checked_at: string | null;
}

const FAILURES = FAILURE_STATUSES.map((s) => `'${s}'`).join(", ");

/**
 * One row per region with checks of the model in the range, named regions first (sorted),
 * then the untagged checks. Failures blamed on OpenRouter are not measured: in neither count.
 */
export async function regionStats(
  store: Store,
  id: string,
  range: Range,
  now: number,
): Promise<RegionStats[]> {
  const ok = "status = 'ok'";
  const rs = await store.client.execute({
    sql: `SELECT region,
        SUM(status = 'ok') AS ok,
        SUM(status IN (${FAILURES}) AND NOT ${blamedSql("c")}) AS failed,
        SUM(status = 'skipped') AS skipped,
        ${sortedArraySql("latency_ms", ok)} AS latencies,
        ${sortedArraySql("ttft_ms", ok)} AS ttfts,
        MAX(checked_at) AS last
      FROM checks c
      WHERE model_id = :id AND checked_at > :from AND checked_at <= :now
      GROUP BY region
      ORDER BY region IS NULL, region`,
    args: { id, from: rangeFrom(range, now), now },
  });
  return rs.rows.map((r) => {
    const okCount = num(r.ok);
    const failed = num(r.failed);
    const latencies = jsonNumbers(r.latencies);
    const ttfts = jsonNumbers(r.ttfts);
    return {
      region: strOrNull(r.region),
      checks: okCount + failed,
      ok: okCount,
      failed,
      skipped: num(r.skipped),
      uptime: uptimePercent(okCount, okCount + failed),
      p50_latency_ms: percentile(latencies, 50),
      p95_latency_ms: percentile(latencies, 95),
      p50_ttft_ms: percentile(ttfts, 50),
      p95_ttft_ms: percentile(ttfts, 95),
      last_checked_at: isoOrNull(numOrNull(r.last)),
    };
  });
}

/** Whether there is anything to compare: measured checks from more than one region. */
export function comparesRegions(stats: readonly RegionStats[]): boolean {
  return stats.filter((s) => s.checks > 0).length > 1;
}
