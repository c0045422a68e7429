/**
 * Alert storage: per-model alert state, the cursors of the alert rules, the events they
 * produced (deduplicated by key, so one state change is one event whichever process sees it)
 * and the delivery outbox (one row per event per webhook target, keyed by a hash of the URL).
 */
import type { Client, InStatement, Row } from "@libsql/client";
import {
  ALERT_KINDS,
  type AlertDetails,
  type AlertEvent,
  type AlertKind,
  type ModelAlertState,
} from "../domain/alerts.ts";
import { clampLimit } from "./runs.ts";
import { cleanText, intOrNull, num, numOrNull, parseJson, str, strOrNull } from "./values.ts";

// ---- cursors and state --------------------------------------------------------------------

export async function readCursors(client: Client): Promise<Map<string, number>> {
  const rs = await client.execute("SELECT name, value FROM alert_cursors");
  return new Map(rs.rows.map((r) => [str(r.name), num(r.value)]));
}

export async function loadAlertStates(
  client: Client,
  modelIds: readonly string[],
): Promise<Map<string, ModelAlertState>> {
  if (modelIds.length === 0) return new Map();
  const rs = await client.execute({
    sql: `SELECT model_id, state, fail_streak, ok_streak, changed_at FROM alert_state
      WHERE model_id IN (SELECT value FROM json_each(?))`,
    args: [JSON.stringify(modelIds)],
  });
  return new Map(rs.rows.map((r) => [str(r.model_id), {
    state: str(r.state) as ModelAlertState["state"], // CHECK constraint
    failStreak: num(r.fail_streak),
    okStreak: num(r.ok_streak),
    changedAt: numOrNull(r.changed_at),
  }]));
}

/** Every model's alert state (for the metrics and the API). */
export async function allAlertStates(client: Client): Promise<Map<string, ModelAlertState>> {
  const rs = await client.execute(
    "SELECT model_id, state, fail_streak, ok_streak, changed_at FROM alert_state",
  );
  return new Map(rs.rows.map((r) => [str(r.model_id), {
    state: str(r.state) as ModelAlertState["state"],
    failStreak: num(r.fail_streak),
    okStreak: num(r.ok_streak),
    changedAt: numOrNull(r.changed_at),
  }]));
}

export interface NewAlertEvent {
  kind: AlertKind;
  model_id: string;
  at: number;
  run_id: number | null;
  dedupe_key: string;
  title: string;
  message: string;
  details: AlertDetails;
}

export interface AlertPass {
  events: NewAlertEvent[];
  states: Map<string, ModelAlertState>;
  cursors: Map<string, number>;
  now: number;
}

/**
 * Writes one pass of the alert rules in one transaction: the new events (a key seen before is
 * ignored), the models' states and the advanced cursors. Returns the events actually inserted.
 */
export async function commitAlertPass(client: Client, pass: AlertPass): Promise<AlertEvent[]> {
  const stmts: InStatement[] = pass.events.map((e) => ({
    sql: `INSERT INTO alert_events (kind, model_id, at, run_id, dedupe_key, title, message,
        details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING id, kind, model_id, at, run_id, title, message, details`,
    args: [
      e.kind,
      cleanText(e.model_id),
      intOrNull(e.at) ?? pass.now,
      e.run_id,
      cleanText(e.dedupe_key),
      cleanText(e.title),
      cleanText(e.message),
      cleanText(JSON.stringify(e.details)),
    ],
  }));
  const eventCount = stmts.length;
  for (const [id, s] of pass.states) {
    stmts.push({
      sql: `INSERT INTO alert_state (model_id, state, fail_streak, ok_streak, changed_at,
          updated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (model_id) DO UPDATE SET state = excluded.state,
          fail_streak = excluded.fail_streak, ok_streak = excluded.ok_streak,
          changed_at = excluded.changed_at, updated_at = excluded.updated_at`,
      args: [cleanText(id), s.state, s.failStreak, s.okStreak, intOrNull(s.changedAt), pass.now],
    });
  }
  for (const [name, value] of pass.cursors) {
    stmts.push({
      sql: `INSERT INTO alert_cursors (name, value) VALUES (?, ?)
        ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)`,
      args: [name, value],
    });
  }
  if (stmts.length === 0) return [];
  const results = await client.batch(stmts, "write");
  return results.slice(0, eventCount).flatMap((rs) => rs.rows.map(toAlertEvent));
}

// ---- events -----------------------------------------------------------------------------

export function toAlertEvent(r: Row): AlertEvent {
  const details = parseJson(strOrNull(r.details));
  return {
    id: num(r.id),
    kind: str(r.kind) as AlertKind, // CHECK constraint
    model_id: str(r.model_id),
    at: num(r.at),
    run_id: numOrNull(r.run_id),
    title: str(r.title),
    message: str(r.message),
    details: typeof details === "object" && details !== null && !Array.isArray(details)
      ? details as AlertDetails
      : {},
  };
}

export interface AlertEventQuery {
  limit?: number;
  kinds?: readonly AlertKind[];
  modelId?: string;
  /** Only events at or after this epoch ms. */
  since?: number;
  /** Only events at or before this epoch ms. */
  until?: number;
}

/** Newest first. */
export async function listAlertEvents(
  client: Client,
  q: AlertEventQuery = {},
): Promise<AlertEvent[]> {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (q.kinds && q.kinds.length > 0) {
    const kinds = q.kinds.filter((k) => (ALERT_KINDS as readonly string[]).includes(k));
    where.push(`kind IN (SELECT value FROM json_each(?))`);
    args.push(JSON.stringify(kinds));
  }
  if (q.modelId !== undefined) {
    where.push("model_id = ?");
    args.push(q.modelId);
  }
  if (q.since !== undefined) {
    where.push("at >= ?");
    args.push(q.since);
  }
  if (q.until !== undefined) {
    where.push("at <= ?");
    args.push(q.until);
  }
  args.push(clampLimit(q.limit));
  const rs = await client.execute({
    sql: `SELECT id, kind, model_id, at, run_id, title, message, details FROM alert_events
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY at DESC, id DESC LIMIT ?`,
    args,
  });
  return rs.rows.map(toAlertEvent);
}

// ---- deliveries -------------------------------------------------------------------------

export type DeliveryStatus = "pending" | "delivered" | "failed";

export interface DueDelivery {
  id: number;
  target: string;
  attempts: number;
  event: AlertEvent;
}

export function targetCursor(targetKey: string): string {
  return `target:${targetKey}`;
}

/**
 * A target seen for the first time starts after the newest event: adding a webhook does not
 * replay the past. Idempotent.
 */
export async function initTargetCursors(client: Client, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await client.batch(
    keys.map((k) => ({
      sql: `INSERT INTO alert_cursors (name, value)
        SELECT ?, COALESCE(MAX(id), 0) FROM alert_events WHERE true
        ON CONFLICT (name) DO NOTHING`,
      args: [targetCursor(k)],
    })),
    "write",
  );
}

/**
 * Queues every event after the target's cursor (and not older than `maxAgeMs`: a stale alert
 * is noise) for delivery to the target, and moves the cursor. Returns how many were queued.
 */
export async function enqueueDeliveries(
  client: Client,
  key: string,
  now: number,
  maxAgeMs: number,
): Promise<number> {
  const cursor = targetCursor(key);
  const [queued] = await client.batch([
    {
      sql: `INSERT INTO alert_deliveries (event_id, target, status, attempts, next_attempt_at,
          created_at)
        SELECT e.id, ?1, 'pending', 0, ?2, ?2 FROM alert_events e
        WHERE e.id > COALESCE((SELECT value FROM alert_cursors WHERE name = ?3), 0)
          AND e.at >= ?4
        ON CONFLICT (event_id, target) DO NOTHING`,
      args: [key, now, cursor, now - maxAgeMs],
    },
    {
      sql: `INSERT INTO alert_cursors (name, value)
        SELECT ?1, COALESCE(MAX(id), 0) FROM alert_events WHERE true
        ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)`,
      args: [cursor],
    },
  ], "write");
  return queued.rowsAffected;
}

/** Pending deliveries to these targets due at `now`, oldest first. */
export async function dueDeliveries(
  client: Client,
  keys: readonly string[],
  now: number,
  limit = 100,
): Promise<DueDelivery[]> {
  if (keys.length === 0) return [];
  const rs = await client.execute({
    sql: `SELECT d.id AS delivery_id, d.target, d.attempts, e.id, e.kind, e.model_id, e.at,
        e.run_id, e.title, e.message, e.details
      FROM alert_deliveries d JOIN alert_events e ON e.id = d.event_id
      WHERE d.status = 'pending' AND d.next_attempt_at <= ?
        AND d.target IN (SELECT value FROM json_each(?))
      ORDER BY d.next_attempt_at, d.id LIMIT ?`,
    args: [now, JSON.stringify(keys), limit],
  });
  return rs.rows.map((r) => ({
    id: num(r.delivery_id),
    target: str(r.target),
    attempts: num(r.attempts),
    event: toAlertEvent(r),
  }));
}

/**
 * Takes a due delivery for one attempt: counts the attempt and hides it until `leaseUntil`, so
 * a second process (or a crash mid-send) cannot double-send it now. False if someone else did.
 */
export async function claimDelivery(
  client: Client,
  id: number,
  now: number,
  leaseUntil: number,
): Promise<boolean> {
  const rs = await client.execute({
    sql: `UPDATE alert_deliveries SET attempts = attempts + 1, next_attempt_at = ?
      WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?`,
    args: [leaseUntil, id, now],
  });
  return rs.rowsAffected === 1;
}

export async function finishDelivery(
  client: Client,
  id: number,
  outcome:
    | { status: "delivered"; at: number }
    | { status: "pending"; retryAt: number; error: string }
    | { status: "failed"; error: string },
): Promise<void> {
  if (outcome.status === "delivered") {
    await client.execute({
      sql: `UPDATE alert_deliveries SET status = 'delivered', delivered_at = ?, last_error = NULL
        WHERE id = ?`,
      args: [outcome.at, id],
    });
  } else if (outcome.status === "pending") {
    await client.execute({
      sql: `UPDATE alert_deliveries SET next_attempt_at = ?, last_error = ? WHERE id = ?`,
      args: [outcome.retryAt, cleanText(outcome.error), id],
    });
  } else {
    await client.execute({
      sql: `UPDATE alert_deliveries SET status = 'failed', last_error = ? WHERE id = ?`,
      args: [cleanText(outcome.error), id],
    });
  }
}

/** Deliveries per status (all targets), for the metrics. */
export async function deliveryCounts(client: Client): Promise<Record<DeliveryStatus, number>> {
  const rs = await client.execute(
    "SELECT status, COUNT(*) AS n FROM alert_deliveries GROUP BY status",
  );
  const out: Record<DeliveryStatus, number> = { pending: 0, delivered: 0, failed: 0 };
  for (const r of rs.rows) {
    const s = str(r.status);
    if (s === "pending" || s === "delivered" || s === "failed") out[s] = num(r.n);
  }
  return out;
}
