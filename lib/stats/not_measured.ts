/**
 * Not measured is not down. Checks blamed on OpenRouter itself (`checks.fault = 'openrouter'`:
 * an incident across a scan, a bare 500, nothing answering at all) say nothing about the model,
 * so like `skipped` ones they are left out of uptime, failure counts, streaks and health. The
 * rollups count them apart (their `openrouter` column, lib/db/rollups.ts), whether the blame came
 * with the check or afterwards (an incident found once the scan is over moves them there in the
 * same transaction), so every read model leaves them out for as long as the rollups are kept.
 */
import type { NotMeasuredReason } from "./types.ts";

/** Why a stretch of time has no uptime: what the tooltips say. */
export const NOT_MEASURED: Record<NotMeasuredReason, string> = {
  openrouter: "OpenRouter incident",
  quota: "not measured: daily quota used up",
  no_scan: "not measured: no scan ran",
};

/**
 * Why a bucket has nothing measured: OpenRouter's fault, checks skipped (the account's daily
 * quota, in practice: a refused key fails the whole run), or no check at all.
 */
export function notMeasuredReason(openrouter: number, skipped: number): NotMeasuredReason {
  if (openrouter > 0) return "openrouter";
  if (skipped > 0) return "quota";
  return "no_scan";
}
