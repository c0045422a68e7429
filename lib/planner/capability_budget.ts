/**
 * What a capability round may spend: the day's free requests left after the health probes the
 * schedule still plans before UTC midnight. Health probes come first; capability checks only
 * take what they leave, and wait for a later round (or day) when nothing is left.
 */
import { nextUtcMidnight } from "../scan/quota.ts";

const DAY_MS = 86_400_000;

export interface CapabilityAllowanceInputs {
  /** Requests probes may still send today (the pacer's view: reserve and traffic share out). */
  left: number | null;
  /** Health-probe requests the schedule sends in a whole day (the plan's minimum). */
  healthRequestsPerDay: number;
  now: number;
}

/** Requests a capability round may send now; null when the day's count is unknown. */
export function capabilityAllowance(i: CapabilityAllowanceInputs): number | null {
  if (i.left === null) return null;
  const restOfDay = Math.max(0, nextUtcMidnight(i.now) - i.now) / DAY_MS;
  const stillPlanned = Math.ceil(Math.max(0, i.healthRequestsPerDay) * restOfDay);
  return Math.max(0, Math.floor(i.left) - stillPlanned);
}

/**
 * Requests capability checks cost a day at most: each claimed model × capability once per
 * interval (OPENROUTER_SCOUT_CAPABILITY_INTERVAL_HOURS), retries none.
 */
export function capabilityRequestsPerDay(claims: number, intervalHours: number): number {
  if (intervalHours <= 0 || claims <= 0) return 0;
  return Math.ceil(claims * 24 / intervalHours);
}
