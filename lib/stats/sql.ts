/**
 * What the read models share: the time windows, the set of models a table shows, and sorted
 * value arrays for percentiles. Statements run with `execute`/`batch(…, "read")` only: the
 * local client has a single connection, and an open `transaction()` would hold it.
 *
 * libsql binds a JavaScript number as REAL. Comparisons with the INTEGER columns are exact
 * either way; where SQL divides (time buckets), bind bigints.
 */
import type { InValue, Value } from "@libsql/client";
import { parseJson, strOrNull } from "../db/values.ts";
import { type Range, RANGE_MS } from "./types.ts";

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

/**
 * A `WITH` clause entry naming the models a statement covers, as `ids(model_id)`. Statements
 * join it to checks with `ids i CROSS JOIN checks c ON c.model_id = i.model_id …`: CROSS JOIN
 * pins that order in SQLite, so each model's checks are a range of the (model_id, checked_at)
 * index, never a scan of the whole table.
 * - TABLE_IDS: the models table: every model in the catalog now, and the ones removed from it
 *   that still have checks over the last 7 days (args `:now`, `:from7d`), read from each model's
 *   latest state; RAW_TABLE_IDS reads the same from the checks (for a `now` before the latest
 *   check, see `readContext`);
 * - ONE_ID: a single model (arg `:id`).
 */
export const TABLE_IDS = `ids(model_id) AS (
  SELECT id FROM models WHERE present = 1
  UNION
  SELECT model_id FROM model_state WHERE last_any_at > :from7d AND last_any_at <= :now)`;

export const RAW_TABLE_IDS = `ids(model_id) AS (
  SELECT id FROM models WHERE present = 1
  UNION
  SELECT model_id FROM checks WHERE checked_at > :from7d AND checked_at <= :now)`;

export const ONE_ID = `ids(model_id) AS (SELECT :id)`;

/** The models a statement covers: the table's, or one model's. */
export type Scope = { kind: "table" } | { kind: "one"; id: string };

/** The `ids` CTE and its arguments for a scope; `fresh`: see `readContext`. */
export function scopeSql(
  scope: Scope,
  now: number,
  fresh = true,
): { ids: string; args: Record<string, InValue> } {
  return scope.kind === "table"
    ? { ids: fresh ? TABLE_IDS : RAW_TABLE_IDS, args: { now, from7d: rangeFrom("7d", now) } }
    : { ids: ONE_ID, args: { now, id: scope.id } };
}

/**
 * An aggregate: the JSON array of `col`, sorted ascending, over the grouped rows matching
 * `cond` (NULLs left out). Percentiles are then picked in JS (health.ts `percentile`): one row
 * per model crosses from SQLite instead of every value, and window functions over thousands of
 * rows measured several times slower than this sort.
 */
export function sortedArraySql(col: string, cond: string): string {
  return `json_group_array(${col} ORDER BY ${col}) FILTER (WHERE ${cond} AND ${col} IS NOT NULL)`;
}

/** The numbers of a `sortedArraySql` (or any JSON array) column; [] for NULL or damage. */
export function jsonNumbers(v: Value | undefined): number[] {
  const parsed = parseJson(strOrNull(v));
  return Array.isArray(parsed) ? parsed.filter((x): x is number => typeof x === "number") : [];
}
