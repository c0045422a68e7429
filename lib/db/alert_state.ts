/**
 * What the alert rules keep between passes: each model's alert state and the rules' cursors,
 * and one pass written in one transaction (its events, deduplicated by key so one state change
 * is one event whichever process sees it, the states and the advanced cursors).
 */
import type { Client, InStatement, Row } from "@libsql/client";
import type { AlertEvent, ModelAlertState } from "../domain/alerts.ts";
import { type NewAlertEvent, toAlertEvent } from "./alert_events.ts";
import { cleanText, intOrNull, num, numOrNull, str } from "./values.ts";

export async function readCursors(client: Client): Promise<Map<string, number>> {
  const rs = await client.execute("SELECT name, value FROM alert_cursors");
  return new Map(rs.rows.map((r) => [str(r.name), num(r.value)]));
}

const STATE_COLUMNS = "model_id, state, fail_streak, ok_streak, changed_at";

function statesOf(rows: readonly Row[]): Map<string, ModelAlertState> {
  return new Map(rows.map((r) => [str(r.model_id), {
    state: str(r.state) as ModelAlertState["state"], // CHECK constraint
    failStreak: num(r.fail_streak),
    okStreak: num(r.ok_streak),
    changedAt: numOrNull(r.changed_at),
  }]));
}

export async function loadAlertStates(
  client: Client,
  modelIds: readonly string[],
): Promise<Map<string, ModelAlertState>> {
  if (modelIds.length === 0) return new Map();
  const rs = await client.execute({
    sql: `SELECT ${STATE_COLUMNS} FROM alert_state
      WHERE model_id IN (SELECT value FROM json_each(?))`,
    args: [JSON.stringify(modelIds)],
  });
  return statesOf(rs.rows);
}

/** Every model's alert state (for the metrics and the API). */
export async function allAlertStates(client: Client): Promise<Map<string, ModelAlertState>> {
  const rs = await client.execute(`SELECT ${STATE_COLUMNS} FROM alert_state`);
  return statesOf(rs.rows);
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
