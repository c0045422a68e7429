import type { CheckStatus } from "../domain/check.ts";

/**
 * The Python scouter's short status labels, kept for its users' scripts:
 * "OK", "429", "HTTP 502", "TIMEOUT", "SKIPPED", "FAIL".
 */
export function statusLabel(status: CheckStatus, httpStatus: number | null): string {
  if (status === "ok") return "OK";
  if (status === "skipped") return "SKIPPED";
  if (status === "rate_limited") return "429";
  if (status === "timeout") return "TIMEOUT";
  if (httpStatus !== null && (httpStatus < 200 || httpStatus >= 300)) return `HTTP ${httpStatus}`;
  return "FAIL";
}

/** Human words for each category, for pages. */
export const CATEGORY_TEXT: Record<CheckStatus, string> = {
  ok: "answered correctly",
  wrong_answer: "wrong answer",
  empty_response: "empty response",
  rate_limited: "rate-limited upstream",
  unavailable: "unavailable",
  not_found: "not found (no endpoint)",
  rejected: "request rejected",
  timeout: "timed out",
  invalid_response: "unreadable response",
  network_error: "network error",
  skipped: "skipped (account, not the model)",
};
