import type { CatalogEventKind } from "../db/catalog.ts";
import type { CheckStatus, Fault, RunStatus, RunTrigger, SkipReason } from "../domain/check.ts";

/**
 * The ranges the API and pages accept (`?range=`); "1y" is 365 days. A range is the half-open
 * interval (now − length, now]: with hourly scans, "24h" holds exactly 24 checks of a model.
 * Where raw checks were pruned (retention), a range starts on the hour of its first check time.
 */
export const RANGES = ["24h", "7d", "30d", "90d", "1y"] as const;
export type Range = typeof RANGES[number];

export const RANGE_MS: Record<Range, number> = {
  "24h": 24 * 3_600_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
  "90d": 90 * 86_400_000,
  "1y": 365 * 86_400_000,
};

/**
 * A model's health, decided from its measured checks (`skipped` ones and failures blamed on
 * OpenRouter never count):
 * - `healthy`: the latest check is ok, uptime over 24 h ≥ 95 % and p50 latency ≤ 10 s;
 * - `degraded`: answering but slow or flapping — the latest check is ok but 24 h uptime is
 *   below 95 % or p50 latency above 10 s, or the latest check failed right after a good one;
 * - `down`: the last two checks failed (or the only check so far failed);
 * - `no_data`: nothing measured in the last 24 hours (or ever).
 * Each of the first three needs a measured check in the last 24 hours.
 */
export type Health = "healthy" | "degraded" | "down" | "no_data";

export const HEALTHS = [
  "healthy",
  "degraded",
  "down",
  "no_data",
] as const satisfies readonly Health[];

/** The same definitions as text, for `GET /api/summary` and the pages. */
export const HEALTH_DEFINITIONS: Record<Health, string> = {
  healthy: "the latest check answered correctly, uptime over 24 h is at least 95 % and the " +
    "median latency over 24 h is at most 10 s",
  degraded: "answering but slow or flapping: the latest check is ok but uptime over 24 h is " +
    "below 95 % or the median latency above 10 s, or the latest check failed right after a " +
    "good one",
  down: "the last two checks failed (or the only check so far failed)",
  no_data: "nothing measured in the last 24 hours (skipped checks and failures blamed on " +
    "OpenRouter itself do not count)",
};

/** The categories that count against uptime: every status but `ok` and `skipped`. */
export type FailureStatus = Exclude<CheckStatus, "ok" | "skipped">;

export const HEALTHY_MIN_UPTIME = 95;
export const SLOW_P50_MS = 10_000;

/** One row of the models table and of `GET /api/models`. */
export interface ModelSummary {
  model_id: string;
  name: string;
  context_length: number | null;
  is_router: boolean;
  /** Listed in the latest catalog. */
  present: boolean;
  expiration_date: string | null;
  health: Health;
  /** The Python scouter's label: "OK", "429", "HTTP 502", "TIMEOUT", "FAIL", "SKIPPED". */
  latest_status: string | null;
  latest_category: CheckStatus | null;
  /** ISO 8601 of the latest measured check. */
  latest_checked_at: string | null;
  /** Measured checks that failed since the latest ok one (all of them if none was ok). */
  consecutive_failures: number;
  /** 0–100, or null when the range holds no measured check. */
  uptime_24h: number | null;
  uptime_7d: number | null;
  avg_latency_24h: number | null;
  p50_latency_24h: number | null;
  p95_latency_24h: number | null;
  p50_ttft_24h: number | null;
  /**
   * Measured checks over 24 h (the denominator of `uptime_24h`; skipped ones and failures blamed
   * on OpenRouter excluded).
   */
  checks_24h: number;
  /** Latency of the latest checks (at most 24), oldest first; null where a check failed. */
  sparkline_data: (number | null)[];
}

/** Cards at the top of the dashboard and `GET /api/summary`. */
export interface FleetSummary {
  total_models: number;
  healthy_count: number;
  degraded_count: number;
  down_count: number;
  no_data_count: number;
  /** ISO 8601 of the newest check, or null on a fresh database. */
  last_updated: string | null;
  /** Checks of the whole fleet answered correctly over 24 h, 0–100; null when none measured. */
  fleet_uptime_24h: number | null;
}

/** Measurements of one model over a range. */
export interface RangeStats {
  range: Range;
  /**
   * Measured checks (skipped ones and failures blamed on OpenRouter excluded): the denominator
   * of `uptime`.
   */
  checks: number;
  ok: number;
  /** Measured checks that failed: `checks - ok`, the sum of `failures_by_category`. */
  failed: number;
  /** Checks not measured (account quota, key, shutdown); never count either way. */
  skipped: number;
  /** 0–100 over measured checks; null when there are none ("no data", never 0 %). */
  uptime: number | null;
  /**
   * Percentiles (nearest rank) of the ok checks, read from the rollups' histograms: within 5 %
   * of the exact value (lib/db/histogram.ts), exact when few distinct values.
   */
  p50_latency_ms: number | null;
  p95_latency_ms: number | null;
  p99_latency_ms: number | null;
  p50_ttft_ms: number | null;
  p95_ttft_ms: number | null;
  p99_ttft_ms: number | null;
  /** Failed checks per category; categories with none are left out. */
  failures_by_category: Partial<Record<FailureStatus, number>>;
}

/**
 * A point of `GET /api/models/{id}/history`: one check, skipped ones included. Python scouter
 * fields first.
 */
export interface HistoryPoint {
  /** ISO 8601 of the check (when its final attempt started). */
  run_datetime: string;
  ok: boolean;
  latency_ms: number | null;
  status_label: string;
  status: CheckStatus;
  ttft_ms: number | null;
  http_status: number | null;
  attempts: number;
  provider: string | null;
  error: string | null;
  /** Why a skipped check was not measured (`quota`, `auth`, `payment`, `shutdown`). */
  skip_reason: SkipReason | null;
  run_id: number;
  /** Who was at fault (model, upstream, shared_capacity, account, openrouter); null when ok. */
  fault: Fault | null;
  /** `probe`: a scan measured it; `traffic`: a request routed through /v1 (lib/router). */
  source: "probe" | "traffic";
}

/** One bar of the 90-day status strip. */
/** Why a stretch of time has no uptime (the tooltips' texts: lib/stats/not_measured.ts). */
export type NotMeasuredReason = "openrouter" | "quota" | "no_scan";

export interface UptimeDay {
  /** UTC date, YYYY-MM-DD. */
  date: string;
  /** Measured checks that day (skipped ones and those blamed on OpenRouter excluded). */
  checks: number;
  ok: number;
  uptime: number | null;
  /** Checks not measured: skipped (the account's quota, shutdown …) and OpenRouter's fault. */
  skipped: number;
  openrouter: number;
  /** Why nothing was measured that day (lib/stats/not_measured.ts); null when something was. */
  not_measured: NotMeasuredReason | null;
}

/** A model's measurements in one time bucket (a whole UTC hour or day). */
export interface BucketStats extends Omit<RangeStats, "range"> {
  /** Bucket start, epoch ms. */
  t: number;
}

/** Availability of the whole free fleet in one time bucket. */
export interface FleetPoint {
  /** Bucket start, epoch ms (a whole UTC hour or day). */
  t: number;
  /** Measured checks of every model in the bucket. */
  checks: number;
  ok: number;
  availability: number | null;
}

/** A free model coming and going in the catalog. */
export interface CatalogEvent {
  kind: CatalogEventKind;
  /** ISO 8601. */
  at: string;
  run_id: number | null;
  /** The capability a `capability_lost` / `capability_gained` event is about; else null. */
  detail: string | null;
}

/** One model in full: its summary, its catalog facts and its stats over every range. */
export interface ModelDetail extends ModelSummary {
  description: string | null;
  input_modalities: string[];
  output_modalities: string[];
  supported_parameters: string[];
  /** The reasoning settings the catalog lists, when the model can reason. */
  reasoning: { mandatory: boolean; supported_efforts: string[] } | null;
  /** ISO 8601 of OpenRouter's `created`. */
  created: string | null;
  /** ISO 8601; null for a model only known from its checks. */
  first_seen_at: string | null;
  last_seen_at: string | null;
  removed_at: string | null;
  range_stats: Record<Range, RangeStats>;
  /** Newest first. */
  events: CatalogEvent[];
}

/** A scan run, as `GET /api/runs` shows it. */
export interface RunSummary {
  id: number;
  /** ISO 8601. */
  started_at: string;
  finished_at: string | null;
  status: RunStatus;
  trigger: RunTrigger;
  total_models: number | null;
  ok_count: number;
  failed_count: number;
  skipped_count: number;
  error: string | null;
  /** Most models failing alike at once: an OpenRouter incident, in one sentence; else null. */
  incident: string | null;
  /** Selected models not probed: routed traffic measured them recently (no check written). */
  traffic_measured: number;
}
