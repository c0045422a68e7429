/**
 * The up/down state machine of one model, as pure functions over its checks in order.
 *
 *   unknown ──ok──► up ──N failures in a row──► down ──M oks in a row──► up
 *      └──────────N failures in a row──────────────┘
 *
 * Only `unknown|up → down` (model_down) and `down → up` (model_recovered) are events; a model
 * first seen working becomes `up` silently. `skipped` checks (the account's quota, not the
 * model) change nothing, not even the streaks.
 */
import type { CheckStatus } from "../domain/check.ts";
import type { AlertRules, ModelAlertState } from "../domain/alerts.ts";

export interface StateCheck {
  id: number;
  status: CheckStatus;
  checked_at: number;
}

export type Transition = "down" | "recovered" | null;

/** One check. Returns the next state and the event it causes, if any. */
export function step(
  s: ModelAlertState,
  c: StateCheck,
  rules: Pick<AlertRules, "downAfter" | "recoverAfter">,
): { next: ModelAlertState; transition: Transition } {
  if (c.status === "skipped") return { next: s, transition: null };
  if (c.status === "ok") {
    const okStreak = s.okStreak + 1;
    if (s.state === "down" && okStreak >= rules.recoverAfter) {
      return {
        next: { state: "up", failStreak: 0, okStreak, changedAt: c.checked_at },
        transition: "recovered",
      };
    }
    if (s.state === "unknown") {
      return {
        next: { state: "up", failStreak: 0, okStreak, changedAt: c.checked_at },
        transition: null,
      };
    }
    return { next: { ...s, failStreak: 0, okStreak }, transition: null };
  }
  const failStreak = s.failStreak + 1;
  if (s.state !== "down" && failStreak >= rules.downAfter) {
    return {
      next: { state: "down", failStreak, okStreak: 0, changedAt: c.checked_at },
      transition: "down",
    };
  }
  return { next: { ...s, failStreak, okStreak: 0 }, transition: null };
}

export interface TransitionAt {
  transition: Exclude<Transition, null>;
  /** The check that decided it. */
  check: StateCheck;
  /** The state before it (for `down_since` of a recovery). */
  before: ModelAlertState;
  /**
   * The failed statuses of the streak that led to `down` among the checks replayed, oldest
   * first; the streak may have begun before them (see `streak`).
   */
  failures: CheckStatus[];
  /** Failed checks in a row at a `down`, earlier passes included; 0 for a recovery. */
  streak: number;
}

/** Runs a model's checks (in order) through the machine; every transition on the way. */
export function replay(
  start: ModelAlertState,
  checks: readonly StateCheck[],
  rules: Pick<AlertRules, "downAfter" | "recoverAfter">,
): { state: ModelAlertState; transitions: TransitionAt[] } {
  let s = start;
  const transitions: TransitionAt[] = [];
  let failures: CheckStatus[] = [];
  for (const c of checks) {
    const { next, transition } = step(s, c, rules);
    if (c.status !== "skipped") failures = c.status === "ok" ? [] : [...failures, c.status];
    if (transition) {
      transitions.push({
        transition,
        check: c,
        before: s,
        failures: transition === "down" ? failures.slice(-Math.max(rules.downAfter, 1)) : [],
        streak: transition === "down" ? next.failStreak : 0,
      });
    }
    s = next;
  }
  return { state: s, transitions };
}
