/**
 * The SQL of a totals query: which rollup rows (the scope), which columns are summed, and how a
 * window's pieces (./windows.ts) become rollup rows and raw checks turned into rollup-shaped rows
 * without grouping, summed per model and bucket into one JSON text.
 *
 * Built for speed: each span is its own range of the rollups' primary key (an OR of spans would
 * scan a model's every row); raw checks are found by time (idx_checks_time); histograms are
 * concatenated as text (SQLite's JSON functions cost more than the rest of the query); and only
 * the columns a caller needs are summed. The window's bounds are written into the SQL as integer
 * literals (never user input), which also keeps libsql from binding them as REAL.
 */
import type { InValue } from "@libsql/client";
import { binSql } from "../db/histogram.ts";
import {
  blamedSql,
  DAY_MS,
  FAILURE_STATUSES,
  FLEET_KEY,
  floorSql,
  GRAINS,
  HOUR_MS,
} from "../db/rollups.ts";
import { type Pieces, piecesOf, type Span } from "./windows.ts";

/**
 * Which rollup rows: the fleet's, one model's (arg `:id`), or those of the models of an `ids`
 * CTE (a `WITH` entry `ids(model_id) AS (…)`, whose args the caller passes).
 */
export type KeyScope = { kind: "fleet" } | { kind: "model" } | { kind: "ids"; cte: string };

/**
 * What to sum: `uptime` (checks, ok), `latency` (and the latency count and sum, both
 * histograms), `all` (and the not measured, skipped and blamed on OpenRouter, and every
 * failure category).
 */
export type Columns = "uptime" | "latency" | "all";

export interface TotalsQuery {
  scope: KeyScope;
  /** The window [from, to), integer ms. */
  from: number;
  to: number;
  /** See windows.ts; from `readContext`. */
  prunedBefore: number | null;
  columns: Columns;
  /** Group by buckets of `step` counted from `from` (a whole hour, or a whole day when `step` is days). */
  step?: number;
  /**
   * No check after the window is stored (`readContext`'s `fresh`): the window's last hour and
   * day are then read whole from their rollups (kept current by every insert), never from raw
   * checks.
   */
  fresh: boolean;
}

export function keysCte(scope: KeyScope): string {
  switch (scope.kind) {
    case "fleet":
      return `keys(mk, model_id) AS (SELECT ${FLEET_KEY}, NULL)`;
    case "model":
      return `keys(mk, model_id) AS (SELECT key, model_id FROM model_keys WHERE model_id = :id)`;
    case "ids":
      return `${scope.cte},
        keys(mk, model_id) AS MATERIALIZED (
          SELECT k.key, k.model_id FROM ids i JOIN model_keys k ON k.model_id = i.model_id)`;
  }
}

const int = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer time: ${n}`);
  return String(n);
};

const measured = ["ok", ...FAILURE_STATUSES].map((s) => `'${s}'`).join(", ");

/**
 * The summed columns, and how a raw check (alias `c`) contributes to each, as the rollups count
 * it (lib/db/rollups.ts): a failure blamed on OpenRouter in `openrouter` alone.
 */
export function columnsOf(columns: Columns): [string, string][] {
  const ok = "c.status = 'ok'";
  const counted = `NOT ${blamedSql("c")}`;
  const histOf = (col: string) =>
    `CASE WHEN ${ok} AND ${col} IS NOT NULL
      THEN '{"' || ${binSql(col)} || '":[1,' || ${col} || ']}' END`;
  const out: [string, string][] = [
    ["checks", `c.status IN (${measured}) AND ${counted}`],
    ["ok", ok],
  ];
  if (columns !== "uptime") {
    out.push(
      ["lat_n", `${ok} AND c.latency_ms IS NOT NULL`],
      ["lat_sum", `CASE WHEN ${ok} THEN COALESCE(c.latency_ms, 0) ELSE 0 END`],
      ["lat_hist", histOf("c.latency_ms")],
      ["ttft_hist", histOf("c.ttft_ms")],
    );
  }
  if (columns === "all") {
    out.push(["skipped", "c.status = 'skipped'"], ["openrouter", blamedSql("c")]);
    for (const s of FAILURE_STATUSES) out.push([`n_${s}`, `c.status = '${s}' AND ${counted}`]);
  }
  return out;
}

/** Rollup rows of the hourly and daily spans, for the models of `keys`. */
export function rollupRows(p: Pieces, names: string): string[] {
  const rollups = (grain: number, [a, b]: Span) =>
    `SELECT model_key AS mk, bucket, ${names} FROM rollups
      WHERE model_key IN (SELECT mk FROM keys) AND grain = ${grain}
        AND bucket >= ${int(a)} AND bucket < ${int(b)}`;
  return [
    ...p.hourly.map((span) => rollups(GRAINS.hourly.code, span)),
    ...(p.daily ? [rollups(GRAINS.daily.code, p.daily)] : []),
  ];
}

/** Raw checks of the raw spans as rollup-shaped rows, for the models of `keys`. */
export function rawRows(scope: KeyScope, p: Pieces, cols: [string, string][]): string[] {
  return p.raw.map(([a, b]) => {
    // Checks by time (the unary + keeps SQLite off the per-model index).
    const own = scope.kind === "fleet" ? "" : "k.model_id = +c.model_id AND";
    return `SELECT k.mk, ${floorSql("c.checked_at", HOUR_MS)} AS bucket,
        ${cols.map(([name, expr]) => `${expr} AS ${name}`).join(", ")}
      FROM checks c CROSS JOIN keys k
      WHERE ${own} c.checked_at >= ${int(a)} AND c.checked_at < ${int(b)}`;
  });
}

/**
 * The totals of `parts` (rollup-shaped row selects), grouped by model and slot, as one JSON text
 * `[[model_id, slot, …columns], …]` built as text: libsql converts each cell of a result into a
 * JavaScript value at a cost that, over a hundred models, outweighed the query, and SQLite's JSON
 * functions would parse the histograms again.
 */
export function groupedSql(
  keys: string,
  parts: string[],
  q: TotalsQuery,
  cols: [string, string][],
) {
  const slot = q.step === undefined ? "0" : `(bucket - ${int(q.from)}) / ${int(q.step)}`;
  const sums = cols.map(([name]) =>
    name.endsWith("_hist")
      ? `'[' || group_concat(${name}) || ']' AS ${name}`
      : `SUM(${name}) AS ${name}`
  );
  const fields = ["slot", ...cols.map(([name]) => name)].map((n) =>
    n.endsWith("_hist") ? `json_quote(COALESCE(a.${n}, ''))` : `COALESCE(a.${n}, 0)`
  );
  return `WITH ${keys}, rows AS (${parts.join("\n      UNION ALL ")})
    SELECT '[' || group_concat('[' || json_quote(k.model_id) || ',' || ${
    fields.join(" || ',' || ")
  } || ']') || ']' AS data
    FROM (SELECT mk, ${slot} AS slot, ${sums.join(", ")} FROM rows GROUP BY mk, slot) a
    JOIN keys k ON k.mk = a.mk`;
}

/** The window's pieces: with `fresh`, its last hour and day run to their ends. */
export function piecesFor(q: TotalsQuery): Pieces {
  // Daily rows only where buckets are whole days (or there are none).
  const days = q.step === undefined || q.step % DAY_MS === 0;
  const grain = days ? DAY_MS : HOUR_MS;
  const to = q.fresh ? Math.ceil(q.to / grain) * grain : q.to;
  return piecesOf(q.from, to, { days, prunedBefore: q.prunedBefore });
}

/** The rollup part's key, and its keys CTE: every model's (filtered by the caller) for `ids`. */
export function rollupScope(q: TotalsQuery, args: Record<string, InValue>): [string, string] {
  switch (q.scope.kind) {
    case "fleet":
      return ["fleet", keysCte(q.scope)];
    case "model":
      return [`model:${String(args.id)}`, keysCte(q.scope)];
    case "ids":
      return ["all", "keys(mk, model_id) AS (SELECT key, model_id FROM model_keys)"];
  }
}
