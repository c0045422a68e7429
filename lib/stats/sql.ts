/**
 * What the read models share: the time windows, the set of models a table shows, and the SQL
 * for nearest-rank percentiles. Statements run with `execute`/`batch(…, "read")` only: the local
 * client has a single connection, and an open `transaction()` would hold it.
 */
import type { InValue } from "@libsql/client";
import { RANGE_MS, type Range } from "./types.ts";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The exclusive start of a range: checks with `from < checked_at <= now` belong to it. */
export function rangeFrom(range: Range, now: number): number {
  return now - RANGE_MS[range];
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}

/** Start of the UTC day holding `ms`. */
export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/**
 * A `WITH` clause entry naming the models a statement covers, as `ids(model_id)`:
 * - `tableIds`: the models table: every model in the catalog now, and the ones removed from it
 *   that still have checks over the last 7 days (args `:now`, `:from7d`);
 * - `oneId`: a single model (arg `:id`).
 */
export const TABLE_IDS = `ids(model_id) AS (
  SELECT id FROM models WHERE present = 1
  UNION
  SELECT model_id FROM checks WHERE checked_at > :from7d AND checked_at <= :now)`;

export const ONE_ID = `ids(model_id) AS (SELECT :id)`;

/** The models a statement covers: the table's, or one model's. */
export type Scope = { kind: "table" } | { kind: "one"; id: string };

/** The `ids` CTE and its arguments for a scope. */
export function scopeSql(scope: Scope, now: number): { ids: string; args: Record<string, InValue> } {
  return scope.kind === "table"
    ? { ids: TABLE_IDS, args: { now, from7d: rangeFrom("7d", now) } }
    : { ids: ONE_ID, args: { now, id: scope.id } };
}

/**
 * Per model of `ids`, the nearest-rank p50 and p95 of latency and TTFT over the `ok` checks in
 * (`:from`, `:now`]; the result columns are model_id, p50_latency, p95_latency, p50_ttft,
 * p95_ttft (NULL when no value). The rank is ceil(p·n/100), written in integer arithmetic
 * ((p·n + 99) / 100) so it does not need SQLite's optional math functions; it matches
 * health.ts `percentile`.
 */
export function percentilesSql(ids: string): string {
  const ranked = (col: string) =>
    `SELECT model_id, ${col} AS v,
      ROW_NUMBER() OVER (PARTITION BY model_id ORDER BY ${col}) AS rn,
      COUNT(*) OVER (PARTITION BY model_id) AS n
    FROM ok WHERE ${col} IS NOT NULL`;
  const pick = (p: number) => `MAX(CASE WHEN rn = (${p} * n + 99) / 100 THEN v END)`;
  return `WITH ${ids},
    ok AS (
      SELECT c.model_id, c.latency_ms, c.ttft_ms FROM ids i
      JOIN checks c ON c.model_id = i.model_id AND c.checked_at > :from AND c.checked_at <= :now
      WHERE c.status = 'ok'),
    lat AS (${ranked("latency_ms")}),
    ttft AS (${ranked("ttft_ms")}),
    lat_p AS (SELECT model_id, ${pick(50)} AS p50, ${pick(95)} AS p95 FROM lat GROUP BY model_id),
    ttft_p AS (SELECT model_id, ${pick(50)} AS p50, ${pick(95)} AS p95 FROM ttft GROUP BY model_id)
    SELECT i.model_id, lat_p.p50 AS p50_latency, lat_p.p95 AS p95_latency,
      ttft_p.p50 AS p50_ttft, ttft_p.p95 AS p95_ttft
    FROM ids i
    LEFT JOIN lat_p ON lat_p.model_id = i.model_id
    LEFT JOIN ttft_p ON ttft_p.model_id = i.model_id`;
}
