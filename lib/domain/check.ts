/**
 * A check: one health probe of one model, reduced to data.
 * The categories are fixed by ../shared/CONTRACT.md; do not rename them.
 */

export const CHECK_STATUSES = [
  "ok",
  "wrong_answer",
  "empty_response",
  "rate_limited",
  "unavailable",
  "not_found",
  "rejected",
  "timeout",
  "invalid_response",
  "network_error",
  "skipped",
] as const;

export type CheckStatus = typeof CHECK_STATUSES[number];

/** Why a model was not measured. Only set when `status` is `skipped`. */
export type SkipReason = "quota" | "auth" | "payment" | "shutdown";

/**
 * Who was at fault when a check did not end ok: the model itself, its upstream provider,
 * OpenRouter's shared free capacity for the model, our account's limits, or OpenRouter itself
 * (an outage seen across the scan). Null for an ok check or one stopped by a shutdown.
 */
export const FAULTS = ["model", "upstream", "shared_capacity", "account", "openrouter"] as const;

export type Fault = typeof FAULTS[number];

export interface CheckResult {
  model_id: string;
  status: CheckStatus;
  /** Epoch milliseconds when the final attempt started. */
  checked_at: number;
  http_status: number | null;
  /** Duration of the final attempt alone, never including backoff sleeps. */
  latency_ms: number | null;
  /** Time from the final attempt's start to the first content token. */
  ttft_ms: number | null;
  attempts: number;
  output_tokens: number | null;
  tokens_per_second: number | null;
  /** The upstream provider that answered (or failed), as OpenRouter names it. */
  provider: string | null;
  /** A short, key-free description of what went wrong; null when `ok`. */
  error: string | null;
  skip_reason: SkipReason | null;
  /** The first characters of the answer, for diagnosing `wrong_answer`. */
  answer: string | null;
  /** Who was at fault (see FAULTS); unset or null when ok. Optional for older writers. */
  fault?: Fault | null;
}

/** Runs as stored. `aborted` is a run stopped by the user (Ctrl-C, shutdown). */
export const RUN_STATUSES = [
  "running",
  "completed",
  "quota_exhausted",
  "aborted",
  "failed",
  "interrupted",
] as const;

export type RunStatus = typeof RUN_STATUSES[number];

export type RunTrigger = "cli" | "schedule" | "api";

export function isOk(status: CheckStatus): boolean {
  return status === "ok";
}
