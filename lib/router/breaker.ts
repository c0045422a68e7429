/**
 * A circuit breaker per model, as pure functions over its state and the time.
 *
 * closed ──(`threshold` failures in a row, traffic or probe)──► open
 * open ──(cool-down passed: one request may try)──► half_open
 * half_open ──success──► closed · ──failure──► open (cool-down again)
 *
 * A half-open trial whose outcome never came (the process died) is allowed again after
 * another cool-down, so a breaker restored from the database cannot stay stuck.
 */

export type BreakerPhase = "closed" | "open" | "half_open";

export interface BreakerState {
  phase: BreakerPhase;
  /** Failures in a row. */
  failures: number;
  /** When it opened, or when its half-open trial started (epoch ms); null when closed. */
  since: number | null;
}

export interface BreakerPolicy {
  threshold: number;
  coolDownMs: number;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = { threshold: 3, coolDownMs: 120_000 };

export const CLOSED: BreakerState = { phase: "closed", failures: 0, since: null };

/** Whether a request may go to the model now, and the state if it does. */
export function admit(
  state: BreakerState,
  policy: BreakerPolicy,
  now: number,
): { allowed: boolean; next: BreakerState } {
  if (state.phase === "closed") return { allowed: true, next: state };
  if (now - (state.since ?? 0) < policy.coolDownMs) return { allowed: false, next: state };
  return { allowed: true, next: { phase: "half_open", failures: state.failures, since: now } };
}

/** Whether the model would be admitted now, without taking a half-open trial. */
export function isAvailable(state: BreakerState, policy: BreakerPolicy, now: number): boolean {
  return admit(state, policy, now).allowed;
}

export function recordSuccess(_state: BreakerState): BreakerState {
  return CLOSED;
}

export function recordFailure(
  state: BreakerState,
  policy: BreakerPolicy,
  now: number,
): BreakerState {
  const failures = state.failures + 1;
  if (state.phase === "half_open") return { phase: "open", failures, since: now };
  if (state.phase === "open") return { ...state, failures };
  if (failures >= policy.threshold) return { phase: "open", failures, since: now };
  return { phase: "closed", failures, since: null };
}
