/** Per-model measurements over a range: counts by category, uptime, latency percentiles. */
import type { Store } from "../db/store.ts";
import { num, str } from "../db/values.ts";
import { CHECK_STATUSES, type CheckStatus } from "../scan/check.ts";
import { percentile, uptimePercent } from "./health.ts";
import { jsonNumbers, rangeFrom, type Scope, scopeSql, sortedArraySql } from "./sql.ts";
import type { FailureStatus, Range, RangeStats } from "./types.ts";

/** One model over `range`; a model without checks gets zero counts and null numbers. */
export async function rangeStats(
  store: Store,
  id: string,
  range: Range,
  now: number,
): Promise<RangeStats> {
  const stats = await statsFor(store, { kind: "one", id }, range, now);
  return stats.get(id) ?? emptyRangeStats(range);
}

/** Every model of the models table (see `modelSummaries`) over `range`, by model id. */
export function rangeStatsByModel(
  store: Store,
  range: Range,
  now: number,
): Promise<Map<string, RangeStats>> {
  return statsFor(store, { kind: "table" }, range, now);
}

export function emptyRangeStats(range: Range): RangeStats {
  return {
    range,
    checks: 0,
    ok: 0,
    failed: 0,
    skipped: 0,
    uptime: null,
    p50_latency_ms: null,
    p95_latency_ms: null,
    p50_ttft_ms: null,
    p95_ttft_ms: null,
    failures_by_category: {},
  };
}

/** Failure categories, in CHECK_STATUSES order. */
const FAILURES = CHECK_STATUSES.filter((s): s is FailureStatus => s !== "ok" && s !== "skipped");

async function statsFor(
  store: Store,
  scope: Scope,
  range: Range,
  now: number,
): Promise<Map<string, RangeStats>> {
  const { ids, args } = scopeSql(scope, now);
  const ok = "c.status = 'ok'";
  // One pass over each model's range of the index; a status this version does not know
  // (written by a newer one) falls in no column and is left out, not guessed.
  const rs = await store.client.execute({
    sql: `WITH ${ids}
      SELECT c.model_id,
        ${CHECK_STATUSES.map((s) => `SUM(c.status = '${s}') AS "n_${s}"`).join(", ")},
        ${sortedArraySql("c.latency_ms", ok)} AS latencies,
        ${sortedArraySql("c.ttft_ms", ok)} AS ttfts
      FROM ids i
      CROSS JOIN checks c ON c.model_id = i.model_id AND c.checked_at > :from
        AND c.checked_at <= :now
      GROUP BY c.model_id`,
    args: { ...args, from: rangeFrom(range, now) },
  });

  const out = new Map<string, RangeStats>();
  for (const r of rs.rows) {
    const n = (s: CheckStatus) => num(r[`n_${s}`] ?? 0);
    const failures_by_category: RangeStats["failures_by_category"] = {};
    for (const f of FAILURES) if (n(f) > 0) failures_by_category[f] = n(f);
    const failed = FAILURES.reduce((sum, f) => sum + n(f), 0);
    const latencies = jsonNumbers(r.latencies);
    const ttfts = jsonNumbers(r.ttfts);
    out.set(str(r.model_id), {
      range,
      checks: n("ok") + failed,
      ok: n("ok"),
      failed,
      skipped: n("skipped"),
      uptime: uptimePercent(n("ok"), n("ok") + failed),
      p50_latency_ms: percentile(latencies, 50),
      p95_latency_ms: percentile(latencies, 95),
      p50_ttft_ms: percentile(ttfts, 50),
      p95_ttft_ms: percentile(ttfts, 95),
      failures_by_category,
    });
  }
  return out;
}
