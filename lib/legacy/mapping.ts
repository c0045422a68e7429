/**
 * The Python scouter's outcomes in Scouter's categories (CONTRACT.md).
 *
 * It recorded `ok`, `http_status`, `latency_ms` and an `error_category` of `rate_limited`,
 * `server_error`, `client_error`, `network` or `unexpected`:
 * - ok = 1 → `ok`;
 * - HTTP 408 → `timeout`; 401 → `skipped` (reason auth), 402 → `skipped` (payment): the key,
 *   not the model;
 * - `rate_limited` (or HTTP 429) → `rate_limited`, see below;
 * - `server_error` (or HTTP 5xx) → `unavailable`;
 * - `client_error`: 404 → `not_found`, any other → `rejected`;
 * - `network` → `network_error`;
 * - `unexpected`, and anything else → `invalid_response`.
 *
 * 429s: the Python scouter recorded every 429 as `rate_limited`, whether the model's provider was
 * overloaded (upstream: the model's problem) or the account's free quota ran out (per minute or
 * per day: not the model's). They cannot be told apart row by row. Per-model upstream 429s are
 * by far the common case, so they stay `rate_limited` (counted as downtime, as Scouter counts
 * upstream 429s), except where the pattern is the account's daily quota running out: from some
 * model on, every remaining check of the run gets a 429. With `auto` (the default), a run whose
 * last 10 or more checks are all 429s, or whose checks (3 or more) are all 429s, has those
 * trailing 429s recorded `skipped` (reason quota), never downtime, and the run
 * `quota_exhausted`. `rate_limited` keeps every 429 as is; `skipped` takes them all as the
 * account's.
 */
import type { CheckResult, CheckStatus, RunStatus, SkipReason } from "../domain/check.ts";

export type RateLimitPolicy = "auto" | "rate_limited" | "skipped";
export const RATE_LIMIT_POLICIES: readonly RateLimitPolicy[] = ["auto", "rate_limited", "skipped"];

/** Trailing 429s in a run that read as the account's daily quota running out. */
export const QUOTA_TAIL = 10;
/** A run of only 429s, at least this long, reads the same way. */
export const QUOTA_WHOLE_RUN = 3;

/** One row of the Python scouter's `healthchecks`. */
export interface LegacyCheck {
  model_id: string;
  ok: boolean;
  http_status: number | null;
  error_category: string | null;
  latency_ms: number | null;
}

interface Mapped {
  status: CheckStatus;
  skip_reason: SkipReason | null;
}

export function mapStatus(c: LegacyCheck): Mapped {
  const measured = (status: CheckStatus): Mapped => ({ status, skip_reason: null });
  if (c.ok) return measured("ok");
  const http = c.http_status;
  const category = c.error_category?.trim().toLowerCase() ?? "";
  if (http === 401) return { status: "skipped", skip_reason: "auth" };
  if (http === 402) return { status: "skipped", skip_reason: "payment" };
  if (http === 408) return measured("timeout");
  if (category === "rate_limited" || http === 429) return measured("rate_limited");
  if (category === "server_error" || (http !== null && http >= 500 && http < 600)) {
    return measured("unavailable");
  }
  if (category === "client_error" || (http !== null && http >= 400 && http < 500)) {
    return measured(http === 404 ? "not_found" : "rejected");
  }
  if (category === "network") return measured("network_error");
  return measured("invalid_response");
}

/** One run's checks in Scouter's terms (in the run's row order), and the run's status. */
export function mapRun(
  rows: readonly LegacyCheck[],
  at: number,
  policy: RateLimitPolicy,
): { checks: CheckResult[]; status: RunStatus; quotaSkipped: number } {
  const mapped = rows.map(mapStatus);
  const limited = (i: number) => mapped[i].status === "rate_limited";
  let quotaFrom = mapped.length;
  if (policy === "skipped") {
    quotaFrom = -1;
  } else if (policy === "auto") {
    let tail = 0;
    while (tail < mapped.length && limited(mapped.length - 1 - tail)) tail++;
    const whole = tail === mapped.length && tail >= QUOTA_WHOLE_RUN;
    if (tail >= QUOTA_TAIL || whole) quotaFrom = mapped.length - tail;
  }
  let quotaSkipped = 0;
  const checks = rows.map((row, i): CheckResult => {
    let { status, skip_reason } = mapped[i];
    if (status === "rate_limited" && (quotaFrom < 0 || i >= quotaFrom)) {
      status = "skipped";
      skip_reason = "quota";
      quotaSkipped++;
    }
    const http = row.http_status;
    const category = row.error_category?.trim() || null;
    return {
      model_id: row.model_id,
      status,
      checked_at: at,
      http_status: http,
      latency_ms: row.latency_ms,
      ttft_ms: null,
      attempts: 1,
      output_tokens: null,
      tokens_per_second: null,
      provider: null,
      error: row.ok
        ? null
        : `python scouter: ${category ?? "failed"}${http ? ` (HTTP ${http})` : ""}`,
      skip_reason,
      answer: null,
    };
  });
  const reasons = new Set(checks.map((c) => c.skip_reason));
  const status: RunStatus = reasons.has("auth") || reasons.has("payment")
    ? "failed"
    : reasons.has("quota")
    ? "quota_exhausted"
    : "completed";
  return { checks, status, quotaSkipped };
}
