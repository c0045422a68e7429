import type { CheckStatus } from "../scan/check.ts";

/** The ranges the API and pages accept (`?range=`). */
export const RANGES = ["24h", "7d", "30d", "90d"] as const;
export type Range = typeof RANGES[number];

export const RANGE_MS: Record<Range, number> = {
  "24h": 24 * 3_600_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
  "90d": 90 * 86_400_000,
};

/**
 * A model's health, decided from its measured checks (`skipped` ones never count):
 * - `healthy`: the latest check is ok, uptime over 24 h ≥ 95 % and p50 latency ≤ 10 s;
 * - `degraded`: answering but slow or flapping — the latest check is ok but 24 h uptime is
 *   below 95 % or p50 latency above 10 s, or the latest check failed right after a good one;
 * - `down`: the last two checks failed (or the only check so far failed);
 * - `no_data`: nothing measured yet.
 */
export type Health = "healthy" | "degraded" | "down" | "no_data";

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
  consecutive_failures: number;
  /** 0–100, or null when the range holds no measured check. */
  uptime_24h: number | null;
  uptime_7d: number | null;
  avg_latency_24h: number | null;
  p50_latency_24h: number | null;
  p95_latency_24h: number | null;
  p50_ttft_24h: number | null;
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
}

/** Measurements of one model over a range. */
export interface RangeStats {
  range: Range;
  checks: number;
  ok: number;
  skipped: number;
  /** 0–100 over measured checks; null when there are none ("no data", never 0 %). */
  uptime: number | null;
  p50_latency_ms: number | null;
  p95_latency_ms: number | null;
  p50_ttft_ms: number | null;
  p95_ttft_ms: number | null;
  failures_by_category: Partial<Record<CheckStatus, number>>;
}

/** A point of `GET /api/models/{id}/history`. Python scouter fields first. */
export interface HistoryPoint {
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
  run_id: number;
}

/** One bar of the 90-day status strip. */
export interface UptimeDay {
  /** UTC date, YYYY-MM-DD. */
  date: string;
  checks: number;
  ok: number;
  uptime: number | null;
}

/** Availability of the whole free fleet in one time bucket. */
export interface FleetPoint {
  /** Bucket start, epoch ms. */
  t: number;
  checks: number;
  ok: number;
  availability: number | null;
}
