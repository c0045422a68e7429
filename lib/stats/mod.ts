/**
 * Read models: what the pages and the JSON API show, read from the rollups and the latest state
 * of each model (lib/db/rollups.ts), raw checks only for the partial hours at a range's ends.
 * Every function takes the Store and `now` (epoch ms) and reads only checks at or before it.
 */
export * from "./types.ts";
export { healthOf, percentile, uptimePercent } from "./health.ts";
export { CATEGORY_TEXT, statusLabel } from "./labels.ts";
export { fleetSummary, modelSummaries, modelSummary, SPARKLINE_LENGTH } from "./summaries.ts";
export { emptyRangeStats, rangeStats, rangeStatsByModel, rangeStatsOfModel } from "./ranges.ts";
export { modelHistory, toHistoryPoint } from "./history.ts";
export {
  dailyUptime,
  fleetAvailability,
  MAX_DAYS,
  modelBuckets,
  RANGE_BUCKETS,
} from "./timeline.ts";
export { type LatencySeries, latencySeries } from "./latency_series.ts";
export { lastFinishedRun, recentRuns, toRunSummary } from "./runs.ts";
export { DETAIL_EVENTS, modelDetail } from "./detail.ts";
export { comparesRegions, type RegionStats, regionStats } from "./regions.ts";
export { type ReadContext, readContext } from "./rollup_read.ts";
