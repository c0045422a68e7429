import { type Health, HEALTHY_MIN_UPTIME, SLOW_P50_MS } from "./types.ts";

export interface HealthInputs {
  /** Measured checks so far (skipped excluded). */
  measured: number;
  latestOk: boolean | null;
  consecutiveFailures: number;
  uptime24h: number | null;
  p50Latency24h: number | null;
}

/** The definitions are in ./types.ts (`Health`) and the README; keep the three in step. */
export function healthOf(h: HealthInputs): Health {
  if (h.measured === 0 || h.latestOk === null) return "no_data";
  // Health describes the last 24 hours: a model not measured since (scanning stopped, a
  // removed model) is not "healthy" on old news.
  if (h.uptime24h === null) return "no_data";
  if (!h.latestOk) {
    if (h.consecutiveFailures >= 2 || h.measured === 1) return "down";
    return "degraded";
  }
  if (h.uptime24h !== null && h.uptime24h < HEALTHY_MIN_UPTIME) return "degraded";
  if (h.p50Latency24h !== null && h.p50Latency24h > SLOW_P50_MS) return "degraded";
  return "healthy";
}

/** Nearest-rank percentile of sorted numbers; null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Uptime in percent with one decimal, or null when nothing was measured. */
export function uptimePercent(ok: number, measured: number): number | null {
  if (measured === 0) return null;
  return Math.round((ok / measured) * 1000) / 10;
}
