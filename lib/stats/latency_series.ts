/**
 * What the model page's latency chart draws for a range: each check where the raw checks cover
 * the range and are few enough to draw one by one, else the rollups' buckets (hourly for 7d,
 * daily for 30d and 90d, weekly for 1y), which reach back past the retention of raw checks.
 */
import type { Store } from "../db/store.ts";
import { modelHistory } from "./history.ts";
import { rangeWindow, readContext } from "./rollup_read.ts";
import { modelBuckets, RANGE_BUCKETS } from "./timeline.ts";
import { type BucketStats, type HistoryPoint, type Range, RANGE_MS } from "./types.ts";

export type LatencySeries =
  | { kind: "checks"; points: HistoryPoint[] }
  | { kind: "buckets"; step: number; buckets: BucketStats[] };

/** Ranges short enough to draw check by check. */
const CHECK_RANGES: readonly Range[] = ["24h", "7d"];

export async function latencySeries(
  store: Store,
  id: string,
  range: Range,
  now: number,
  maxChecks: number,
): Promise<LatencySeries> {
  if (CHECK_RANGES.includes(range)) {
    const { pruned } = await readContext(store, now, id);
    if (pruned === null || pruned <= rangeWindow(RANGE_MS[range], now).from) {
      // One more than drawn: a full list means the range holds more than `maxChecks`.
      const points = await modelHistory(store, id, range, now, maxChecks + 1);
      if (points.length <= maxChecks) return { kind: "checks", points };
    }
  }
  const buckets = await modelBuckets(store, id, range, now);
  return { kind: "buckets", step: RANGE_BUCKETS[range].step, buckets };
}
