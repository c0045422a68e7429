/**
 * Per-model measurements over a range: counts by category, uptime, latency percentiles; read from
 * the rollups (./rollup_read.ts), raw checks only for the range's partial first and last hour.
 */
import type { Store } from "../db/store.ts";
import { histogramPercentile } from "../db/histogram.ts";
import { FAILURE_STATUSES } from "../db/rollups.ts";
import { uptimePercent } from "./health.ts";
import { rangeWindow, readContext, readTotalsBatch } from "./rollup_read.ts";
import type { Totals } from "./rollup_totals.ts";
import { scopeSql } from "./sql.ts";
import { type Range, RANGE_MS, type RangeStats } from "./types.ts";

/** One model over `range`; a model without checks gets zero counts and null numbers. */
export async function rangeStats(
  store: Store,
  id: string,
  range: Range,
  now: number,
): Promise<RangeStats> {
  const [stats] = await rangeStatsOfModel(store, id, [range], now);
  return stats;
}

/**
 * One model over several ranges, in one round trip after the first. Checks blamed on OpenRouter
 * are not measured (./not_measured.ts): the rollups leave them out like skipped ones.
 */
export async function rangeStatsOfModel(
  store: Store,
  id: string,
  ranges: readonly Range[],
  now: number,
): Promise<RangeStats[]> {
  const ctx = await readContext(store, now, id);
  const { totals } = await readTotalsBatch(
    store,
    ctx,
    ranges.map((range) => ({
      q: {
        scope: { kind: "model" },
        ...rangeWindow(RANGE_MS[range], now),
        prunedBefore: ctx.pruned,
        columns: "all",
        fresh: ctx.fresh,
      },
      args: { id },
    })),
  );
  return ranges.map((range, i) => {
    const t = totals[i].find((t) => t.model_id === id);
    return t ? toRangeStats(range, t) : emptyRangeStats(range);
  });
}

/** Every model of the models table (see `modelSummaries`) over `range`, by model id; checks
 * blamed on OpenRouter left out. */
export async function rangeStatsByModel(
  store: Store,
  range: Range,
  now: number,
): Promise<Map<string, RangeStats>> {
  const ctx = await readContext(store, now);
  const window = rangeWindow(RANGE_MS[range], now);
  const { ids, args } = scopeSql({ kind: "table" }, now, ctx.fresh);
  const { totals: [all], extra: [table] } = await readTotalsBatch(store, ctx, [{
    q: {
      scope: { kind: "ids", cte: ids },
      ...window,
      prunedBefore: ctx.pruned,
      columns: "all",
      fresh: ctx.fresh,
    },
    args,
  }], [{ sql: `WITH ${ids} SELECT json_group_array(model_id) AS ids FROM ids`, args }]);
  const wanted = new Set(JSON.parse(String(table.rows[0]?.ids ?? "[]")) as string[]);
  const out = new Map<string, RangeStats>();
  for (const t of all) {
    if (t.model_id === null || !wanted.has(t.model_id)) continue;
    out.set(t.model_id, toRangeStats(range, t));
  }
  return out;
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
    p99_latency_ms: null,
    p50_ttft_ms: null,
    p95_ttft_ms: null,
    p99_ttft_ms: null,
    failures_by_category: {},
  };
}

export function toRangeStats(range: Range, t: Totals): RangeStats {
  const failures_by_category: RangeStats["failures_by_category"] = {};
  let failed = 0;
  for (const f of FAILURE_STATUSES) {
    if (t.failures[f] > 0) failures_by_category[f] = t.failures[f];
    failed += t.failures[f];
  }
  return {
    range,
    checks: t.ok + failed,
    ok: t.ok,
    failed,
    skipped: t.skipped,
    uptime: uptimePercent(t.ok, t.ok + failed),
    p50_latency_ms: histogramPercentile(t.latHist, 50),
    p95_latency_ms: histogramPercentile(t.latHist, 95),
    p99_latency_ms: histogramPercentile(t.latHist, 99),
    p50_ttft_ms: histogramPercentile(t.ttftHist, 50),
    p95_ttft_ms: histogramPercentile(t.ttftHist, 95),
    p99_ttft_ms: histogramPercentile(t.ttftHist, 99),
    failures_by_category,
  };
}
