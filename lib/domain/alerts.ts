/** Alert events: what Scouter tells you about, and the rules' settings. */

export const ALERT_KINDS = [
  "model_down",
  "model_recovered",
  "model_added",
  "model_removed",
  "model_expiring",
  "capability_lost",
] as const;

/**
 * - `model_down`: N measured checks failed in a row (N = OPENROUTER_SCOUT_ALERT_DOWN_AFTER);
 * - `model_recovered`: a model that was down answered M checks in a row (…_RECOVER_AFTER);
 * - `model_added`: a new free model in the catalog (or one that came back);
 * - `model_removed`: a free model left the catalog;
 * - `model_expiring`: a free model's `expiration_date` is within …_EXPIRY_DAYS;
 * - `capability_lost`: a capability the catalog claims (tools, json, vision) was verified before
 *   and its latest check failed (a `capability_lost` catalog event; lib/scan/capabilities/).
 *   A capability gained is a catalog event, not an alert.
 */
export type AlertKind = typeof ALERT_KINDS[number];

export interface AlertEvent {
  id: number;
  kind: AlertKind;
  model_id: string;
  /** Epoch ms: when the change was seen (the deciding check, or the catalog sync). */
  at: number;
  run_id: number | null;
  /** One line, plain text (untrusted names inside: escape for the medium). */
  title: string;
  /** A sentence or two, plain text. */
  message: string;
  details: AlertDetails;
}

/** Facts behind an event; every field optional, all plain JSON. */
export interface AlertDetails {
  model_name?: string;
  /** model_down: the statuses of the failed streak, oldest first. */
  failures?: string[];
  /** model_down / model_recovered: checks in the streak. */
  streak?: number;
  /** model_recovered: when it went down (epoch ms). */
  down_since?: number | null;
  /** model_expiring: YYYY-MM-DD. */
  expiration_date?: string;
  days_left?: number;
  /** model_added: it had been in the catalog before. */
  returned?: boolean;
  /** capability_lost: the capability, and the failed check's short detail. */
  capability?: string;
  capability_detail?: string | null;
}

/** A model's place in the up/down state machine (lib/alerts/state.ts), as stored. */
export type ModelAlertStateName = "unknown" | "up" | "down";

export interface ModelAlertState {
  state: ModelAlertStateName;
  failStreak: number;
  okStreak: number;
  /** When the state last changed (epoch ms); null while unknown. */
  changedAt: number | null;
}

export const INITIAL_STATE: ModelAlertState = {
  state: "unknown",
  failStreak: 0,
  okStreak: 0,
  changedAt: null,
};

export interface AlertRules {
  /** Failed checks in a row before a model is down. */
  downAfter: number;
  /** Good checks in a row before a down model has recovered. */
  recoverAfter: number;
  /** Warn when a free model's expiration date is this many days away or fewer. */
  expiryDays: number;
}

export const DEFAULT_ALERT_RULES: AlertRules = { downAfter: 3, recoverAfter: 2, expiryDays: 7 };

/** The rules from the configuration (OPENROUTER_SCOUT_ALERT_*). */
export function alertRulesOf(
  config: { alertDownAfter: number; alertRecoverAfter: number; alertExpiryDays: number },
): AlertRules {
  return {
    downAfter: config.alertDownAfter,
    recoverAfter: config.alertRecoverAfter,
    expiryDays: config.alertExpiryDays,
  };
}
