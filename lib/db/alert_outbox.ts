/**
 * The delivery outbox: one row per event per webhook target (keyed by a hash of the URL), each
 * target's cursor over the events, claiming a due delivery for one attempt and its outcome.
 */
import type { Client } from "@libsql/client";
import { toAlertEvent } from "./alert_events.ts";
import type { AlertEvent } from "../domain/alerts.ts";
import { cleanText, num, str } from "./values.ts";

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
