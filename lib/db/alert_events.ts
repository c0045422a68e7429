/** The alert events: the shape a pass of the rules writes, reading them back, listing them. */
import type { Client, Row } from "@libsql/client";
import {
  ALERT_KINDS,
  type AlertDetails,
  type AlertEvent,
  type AlertKind,
} from "../domain/alerts.ts";
import { clampLimit } from "./runs.ts";
import { num, numOrNull, parseJson, str, strOrNull } from "./values.ts";

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
