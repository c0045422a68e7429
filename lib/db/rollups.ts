/**
 * Rollups and the latest state of each model: what the read models use instead of raw checks.
 *
 * - `rollups`: one row per model, grain (0: a UTC hour, 1: a UTC day) and bucket, with additive
 *   counters (measured checks, ok, each failure category; the not measured apart: `skipped`,
 *   and `openrouter` for failed checks blamed on OpenRouter itself), the count, sum, min and
 *   max of the latency and TTFT of the ok checks, and a histogram of each (./histogram.ts).
 *   Model key 0 (FLEET_KEY) holds every model together: the fleet's availability.
 * - `model_state`: per model, its latest check and measured check, failures since the latest ok
 *   one, and the latency sparkline of its latest 24 measured checks.
 * - `model_keys`: a small integer per model id, so that the rollup rows (about 880,000 a year for
 *   100 models) do not each repeat a 40-byte id.
 *
 * Not measured is not down: a failed check with `fault = 'openrouter'` (an OpenRouter incident,
 * set at insert or afterwards by `reblameStatements`) says nothing about the model. It counts in
 * `openrouter` only (not in `checks`, `ok` or a failure column), and like a skipped check it
 * neither extends nor breaks a failure streak, nor is it a model's latest measured check.
 *
 * Three writers keep them, each in the same transaction as the checks it covers, and a test holds
 * them to the same rows: the SQL here, from a condition on `checks c` (migration 2's backfill of
 * the checks already stored); rollup_check.ts for one check (insertCheck); bulk.ts for many (the
 * legacy import, the demo). A blame changed afterwards (checks.ts `setChecksFault`) moves the
 * checks' counts with `reblameStatements`, in the same transaction; tests/db/
 * not_measured_rollups_test.ts holds all four to the same rows. Each write bumps
 * `store_meta.rollups_version`, which readers use to cache what they read
 * (lib/stats/rollup_read.ts).
 *
 * Counters cannot overflow: SQLite integers are 64-bit (and read back exactly up to 2^53). A sum
 * of latencies reaches 2^53 ms after 285,000 years of cumulated latency; a count after 10^15
 * checks.
 */
import { CHECK_STATUSES } from "../domain/check.ts";
import { binSql } from "./histogram.ts";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The rollup rows of every model together. */
export const FLEET_KEY = 0;

/** How many measured checks the sparkline of `model_state` keeps. */
export const STATE_SPARKLINE = 24;

export type Grain = "hourly" | "daily";

export const ROLLUP_TABLE = "rollups";

export const GRAINS: Record<Grain, { code: number; step: number }> = {
  hourly: { code: 0, step: HOUR_MS },
  daily: { code: 1, step: DAY_MS },
};

/** The statuses that count against uptime, in CHECK_STATUSES order. */
export const FAILURE_STATUSES = CHECK_STATUSES.filter((s) => s !== "ok" && s !== "skipped");

const failureList = FAILURE_STATUSES.map((s) => `'${s}'`).join(", ");

/**
 * SQL: check `a` (an alias of `checks`) failed and is blamed on OpenRouter: not measured. Such a
 * check leaves the failure columns for `openrouter` in the rollups, and the latest state.
 */
export function blamedSql(a: string): string {
  return `(${a}.status IN (${failureList}) AND ${a}.fault IS 'openrouter')`;
}

/** SQL: check `a` is measured (neither skipped nor blamed on OpenRouter). */
export function measuredSql(a: string, shape: RollupShape = CURRENT): string {
  return shape.blame
    ? `(${a}.status <> 'skipped' AND NOT ${blamedSql(a)})`
    : `${a}.status <> 'skipped'`;
}

/** SQL: check `a` is a failure that counts against its model (measured, not ok). */
export function countedFailureSql(a: string, shape: RollupShape = CURRENT): string {
  return shape.blame
    ? `(${a}.status NOT IN ('ok', 'skipped') AND NOT ${blamedSql(a)})`
    : `${a}.status NOT IN ('ok', 'skipped')`;
}

/** Whether a check (as CheckResult or row) is a failure blamed on OpenRouter (see blamedSql). */
export function isBlamed(c: { status: string; fault?: string | null }): boolean {
  return c.fault === "openrouter" && (FAILURE_STATUSES as readonly string[]).includes(c.status);
}

/** Counters added up when rows merge; `checks` = measured = ok + every failure column. */
export const SUM_COLUMNS: readonly string[] = [
  "checks",
  "ok",
  "skipped",
  "openrouter",
  ...FAILURE_STATUSES.map((s) => `n_${s}`),
  "lat_n",
  "lat_sum",
  "ttft_n",
  "ttft_sum",
];
export const MIN_COLUMNS: readonly string[] = ["lat_min", "ttft_min"];
export const MAX_COLUMNS: readonly string[] = ["lat_max", "ttft_max"];
export const HIST_COLUMNS: readonly string[] = ["lat_hist", "ttft_hist"];
export const ROLLUP_COLUMNS: readonly string[] = [
  ...SUM_COLUMNS,
  ...MIN_COLUMNS,
  ...MAX_COLUMNS,
  ...HIST_COLUMNS,
];

/**
 * Which rollups the SQL below writes: CURRENT, or V2 as migration 2 created them (before blame
 * existed: no `checks.fault`, no `openrouter` column), so that migration 2 stays what shipped
 * and migration 10 brings it to CURRENT.
 */
export interface RollupShape {
  sums: readonly string[];
  /** Failed checks blamed on OpenRouter are not measured (needs `checks.fault`). */
  blame: boolean;
}

export const CURRENT: RollupShape = { sums: SUM_COLUMNS, blame: true };
export const V2: RollupShape = {
  sums: SUM_COLUMNS.filter((c) => c !== "openrouter"),
  blame: false,
};

const columnsOf = (shape: RollupShape) => [
  ...shape.sums,
  ...MIN_COLUMNS,
  ...MAX_COLUMNS,
  ...HIST_COLUMNS,
];

/** CREATE TABLE of the rollups (one table: one upsert per check covers both grains). */
export function rollupTableSql(shape: RollupShape = CURRENT): string {
  const ints = shape.sums.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(",\n  ");
  return `CREATE TABLE ${ROLLUP_TABLE} (
  model_key INTEGER NOT NULL,
  grain INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  ${ints},
  lat_min INTEGER, ttft_min INTEGER, lat_max INTEGER, ttft_max INTEGER,
  lat_hist TEXT, ttft_hist TEXT,
  PRIMARY KEY (model_key, grain, bucket)
) WITHOUT ROWID`;
}

/** `col` rounded down to a multiple of `step` (also for times before 1970). */
export function floorSql(col: string, step: number): string {
  return `((CASE WHEN ${col} >= 0 THEN ${col} / ${step} ELSE (${col} + 1) / ${step} - 1 END) * ${step})`;
}

/**
 * Rollup-shaped rows `(mk, bucket, <ROLLUP_COLUMNS>)` from the checks matching `where` (alias
 * `c`), one per model key and bucket of `step`, and with `fleet` also per bucket under FLEET_KEY.
 * A status this version does not know (written by a newer one) counts nowhere.
 */
export function rollupRowsSql(
  where: string,
  step: number,
  fleet: boolean,
  shape: RollupShape = CURRENT,
): string {
  const copies = fleet ? "(SELECT 0 AS f UNION ALL SELECT 1)" : "(SELECT 1 AS f)";
  const ok = "status = 'ok'";
  // In `src`, a blamed failure's status reads 'openrouter': it counts there alone.
  const status = shape.blame
    ? `CASE WHEN ${blamedSql("c")} THEN 'openrouter' ELSE c.status END`
    : "c.status";
  const hist = (col: string) =>
    `SELECT mk, bucket, json_group_object(bin, json_array(n, s)) AS h FROM (
      SELECT mk, bucket, ${binSql(col)} AS bin, COUNT(*) AS n, SUM(${col}) AS s
      FROM src WHERE ${ok} AND ${col} IS NOT NULL GROUP BY 1, 2, 3)
    GROUP BY 1, 2`;
  return `WITH src AS (
      SELECT CASE WHEN d.f = 0 THEN ${FLEET_KEY} ELSE k.key END AS mk,
        ${floorSql("c.checked_at", step)} AS bucket, ${status} AS status,
        c.latency_ms AS lat, c.ttft_ms AS ttft
      FROM checks c JOIN model_keys k ON k.model_id = c.model_id CROSS JOIN ${copies} d
      WHERE ${where}),
    agg AS (
      SELECT mk, bucket,
        SUM(status IN ('ok', ${failureList})) AS checks,
        SUM(${ok}) AS ok,
        SUM(status = 'skipped') AS skipped,${
    shape.blame ? "\n        SUM(status = 'openrouter') AS openrouter," : ""
  }
        ${FAILURE_STATUSES.map((s) => `SUM(status = '${s}') AS n_${s}`).join(",\n        ")},
        SUM(${ok} AND lat IS NOT NULL) AS lat_n,
        COALESCE(SUM(lat) FILTER (WHERE ${ok}), 0) AS lat_sum,
        SUM(${ok} AND ttft IS NOT NULL) AS ttft_n,
        COALESCE(SUM(ttft) FILTER (WHERE ${ok}), 0) AS ttft_sum,
        MIN(lat) FILTER (WHERE ${ok}) AS lat_min,
        MIN(ttft) FILTER (WHERE ${ok}) AS ttft_min,
        MAX(lat) FILTER (WHERE ${ok}) AS lat_max,
        MAX(ttft) FILTER (WHERE ${ok}) AS ttft_max
      FROM src GROUP BY mk, bucket),
    lh AS (${hist("lat")}),
    th AS (${hist("ttft")})
    SELECT agg.mk, agg.bucket, ${
    [...shape.sums, ...MIN_COLUMNS, ...MAX_COLUMNS].map((c) => `agg.${c}`).join(", ")
  }, lh.h AS lat_hist, th.h AS ttft_hist
    FROM agg LEFT JOIN lh ON lh.mk = agg.mk AND lh.bucket = agg.bucket
      LEFT JOIN th ON th.mk = agg.mk AND th.bucket = agg.bucket`;
}

/** Merges two stored histograms (either may be NULL) in SQL. */
function mergeHistSql(table: string, col: string): string {
  return `CASE WHEN excluded.${col} IS NULL THEN ${table}.${col}
    WHEN ${table}.${col} IS NULL THEN excluded.${col}
    ELSE (SELECT json_group_object(key, json_array(n, s)) FROM (
      SELECT key, SUM(value ->> 0) AS n, SUM(value ->> 1) AS s FROM (
        SELECT key, value FROM json_each(${table}.${col})
        UNION ALL SELECT key, value FROM json_each(excluded.${col}))
      GROUP BY key)) END`;
}

/** The ON CONFLICT assignments that add a new row (`excluded`) to a stored rollup row. */
export function mergeRollupSql(shape: RollupShape = CURRENT): string {
  const table = ROLLUP_TABLE;
  const either = (fn: "MIN" | "MAX", c: string) =>
    `${c} = ${fn}(COALESCE(${table}.${c}, excluded.${c}), COALESCE(excluded.${c}, ${table}.${c}))`;
  return `ON CONFLICT (model_key, grain, bucket) DO UPDATE SET ${
    [
      ...shape.sums.map((c) => `${c} = ${table}.${c} + excluded.${c}`),
      ...MIN_COLUMNS.map((c) => either("MIN", c)),
      ...MAX_COLUMNS.map((c) => either("MAX", c)),
      ...HIST_COLUMNS.map((c) => `${c} = ${mergeHistSql(table, c)}`),
    ].join(",\n      ")
  }`;
}

/** Adds the checks matching `where` to the rollups of `grain` (model rows and fleet rows). */
export function upsertRollupsSql(
  grain: Grain,
  where: string,
  shape: RollupShape = CURRENT,
): string {
  const { code, step } = GRAINS[grain];
  const cols = columnsOf(shape).join(", ");
  // `WHERE true`: SQLite needs a WHERE before ON CONFLICT in an INSERT … SELECT.
  return `INSERT INTO ${ROLLUP_TABLE} (model_key, grain, bucket, ${cols})
    SELECT mk, ${code}, bucket, ${cols}
    FROM (${rollupRowsSql(where, step, true, shape)}) WHERE true
    ${mergeRollupSql(shape)}`;
}

/** Gives every model of the checks matching `where` its key. */
export function modelKeysSql(where: string): string {
  return `INSERT OR IGNORE INTO model_keys (model_id)
    SELECT DISTINCT c.model_id FROM checks c WHERE ${where}`;
}

/**
 * Brings `model_state` up to date for the models of the checks matching `where`, which must be
 * in `checks` already, whatever their order in time (an import of older history included):
 * - the latest (measured) check and the sparkline are read back from the model's newest checks
 *   (an index walk of at most STATE_SPARKLINE rows);
 * - failures since the latest ok check L: when L is a stored check, they are counted from the
 *   checks after it (all stored, being newer); when L was pruned (or there never was one), the
 *   new failures after it extend the stored count.
 */
export function refreshStateSql(where: string, shape: RollupShape = CURRENT): string {
  const measured = (a: string) => measuredSql(a, shape);
  const failed = (a: string) => countedFailureSql(a, shape);
  const newest = (cond: string) =>
    `(SELECT x.id FROM checks x WHERE x.model_id = t.model_id AND ${cond}
      ORDER BY x.checked_at DESC, x.id DESC LIMIT 1)`;
  // The stored ok check is the latest ok one (else the stored latest ok was pruned).
  const rawOk = `o.id IS NOT NULL AND
    (s.last_ok_at IS NULL OR o.checked_at > s.last_ok_at OR
      (o.checked_at = s.last_ok_at AND o.id >= s.last_ok_id))`;
  return `INSERT INTO model_state (model_id, last_any_at, last_at, last_id, last_status,
      last_http, streak, spark, last_ok_at, last_ok_id)
    SELECT t.model_id,
      MAX(t.max_any, COALESCE(s.last_any_at, t.max_any)),
      CASE WHEN t.measured = 0 THEN s.last_at ELSE l.checked_at END,
      CASE WHEN t.measured = 0 THEN s.last_id ELSE l.id END,
      CASE WHEN t.measured = 0 THEN s.last_status ELSE l.status END,
      CASE WHEN t.measured = 0 THEN s.last_http ELSE l.http_status END,
      CASE WHEN t.measured = 0 THEN COALESCE(s.streak, 0)
        WHEN ${rawOk} THEN (SELECT COUNT(*) FROM checks f
          WHERE f.model_id = t.model_id AND f.checked_at >= o.checked_at
            AND (f.checked_at > o.checked_at OR f.id > o.id)
            AND ${failed("f")})
        ELSE COALESCE(s.streak, 0) + (SELECT COUNT(*) FROM checks c
          WHERE (${where}) AND c.model_id = t.model_id AND ${failed("c")}
            AND (s.last_ok_at IS NULL OR c.checked_at > s.last_ok_at OR
              (c.checked_at = s.last_ok_at AND c.id > s.last_ok_id))) END,
      CASE WHEN t.measured = 0 THEN COALESCE(s.spark, '[]')
        ELSE (SELECT json_group_array(v ORDER BY at, id) FROM (
          SELECT CASE WHEN x.status = 'ok' THEN x.latency_ms END AS v, x.checked_at AS at, x.id
          FROM checks x WHERE x.model_id = t.model_id AND ${measured("x")}
          ORDER BY x.checked_at DESC, x.id DESC LIMIT ${STATE_SPARKLINE})) END,
      CASE WHEN ${rawOk} THEN o.checked_at ELSE s.last_ok_at END,
      CASE WHEN ${rawOk} THEN o.id ELSE s.last_ok_id END
    FROM (SELECT c.model_id, MAX(c.checked_at) AS max_any,
        SUM(${measured("c")}) AS measured
      FROM checks c WHERE ${where} GROUP BY c.model_id) t
    LEFT JOIN model_state s ON s.model_id = t.model_id
    LEFT JOIN checks l ON l.id = ${newest(measured("x"))}
    LEFT JOIN checks o ON o.id = ${newest("x.status = 'ok'")}
    WHERE true
    ON CONFLICT (model_id) DO UPDATE SET last_any_at = excluded.last_any_at,
      last_at = excluded.last_at, last_id = excluded.last_id,
      last_status = excluded.last_status, last_http = excluded.last_http,
      streak = excluded.streak, spark = excluded.spark,
      last_ok_at = excluded.last_ok_at, last_ok_id = excluded.last_ok_id`;
}

/**
 * Every statement that folds the checks matching `where` into the keys, rollups and latest
 * state: run them in the same batch (transaction) as the writes of those checks.
 */
export function rollupStatements(where: string, shape: RollupShape = CURRENT): string[] {
  return [
    modelKeysSql(where),
    upsertRollupsSql("hourly", where, shape),
    upsertRollupsSql("daily", where, shape),
    refreshStateSql(where, shape),
    BUMP_ROLLUPS_VERSION,
  ];
}

/**
 * Every write to the rollups bumps `store_meta.rollups_version`, in its transaction: readers
 * cache what they read of the rollups for a version (lib/stats/rollup_read.ts).
 */
export const BUMP_ROLLUPS_VERSION =
  "UPDATE store_meta SET value = value + 1 WHERE name = 'rollups_version'";

/**
 * Changing the blame of checks already rolled up (an incident found once the scan is over, see
 * checks.ts `setChecksFault`): the checks listed in `temp.reblame` move out of their failure
 * column into `openrouter` (`dir` 1: now blamed on OpenRouter) or back (`dir` -1), in the hourly
 * and daily rollups of their model and of the fleet, and their models' latest state is worked
 * out again (streak, latest measured check, sparkline). Run REBLAME_SETUP, fill `temp.reblame`
 * with failed checks, update their `fault`, then `reblameStatements()`, all in one batch.
 */
export const REBLAME_SETUP: readonly string[] = [
  "CREATE TEMP TABLE IF NOT EXISTS reblame (id INTEGER PRIMARY KEY, dir INTEGER NOT NULL)",
  "DELETE FROM temp.reblame",
];

export function reblameStatements(): string[] {
  return [
    ...Object.values(GRAINS).map(({ code, step }) => moveRollupsSql(code, step)),
    reblameStateSql(),
    "DELETE FROM temp.reblame",
    BUMP_ROLLUPS_VERSION,
  ];
}

/**
 * The failed checks of `temp.reblame` (CROSS JOIN: SQLite would otherwise walk every check and
 * look each up in the few re-blamed ones).
 */
const REBLAMED =
  `temp.reblame r CROSS JOIN checks c ON c.id = r.id AND c.status IN (${failureList})`;

function moveRollupsSql(code: number, step: number): string {
  const t = ROLLUP_TABLE;
  return `UPDATE ${t} SET checks = ${t}.checks - d.n, openrouter = ${t}.openrouter + d.n,
      ${FAILURE_STATUSES.map((s) => `n_${s} = ${t}.n_${s} - d.n_${s}`).join(", ")}
    FROM (SELECT CASE WHEN f.f = 0 THEN ${FLEET_KEY} ELSE k.key END AS mk,
        ${floorSql("c.checked_at", step)} AS bucket, SUM(r.dir) AS n,
        ${FAILURE_STATUSES.map((s) => `SUM(r.dir * (c.status = '${s}')) AS n_${s}`).join(", ")}
      FROM ${REBLAMED} JOIN model_keys k ON k.model_id = c.model_id
        CROSS JOIN (SELECT 0 AS f UNION ALL SELECT 1) f
      GROUP BY 1, 2) d
    WHERE ${t}.model_key = d.mk AND ${t}.grain = ${code} AND ${t}.bucket = d.bucket`;
}

/**
 * The latest state of the models of `temp.reblame`, from their raw checks (the blame has just
 * changed): the streak counted again after the latest ok check (or, when that one was pruned,
 * the stored streak less the checks that left it); the latest measured check and the sparkline
 * read back, the stored ones kept when no measured check is left raw and the stored latest one
 * was not re-blamed.
 */
function reblameStateSql(): string {
  const newest = `(SELECT x.id FROM checks x WHERE x.model_id = t.model_id AND ${measuredSql("x")}
      ORDER BY x.checked_at DESC, x.id DESC LIMIT 1)`;
  const keep = "l.id IS NULL AND t.lost = 0";
  const pick = (col: string, from: string) => `CASE WHEN ${keep} THEN s.${col} ELSE l.${from} END`;
  return `UPDATE model_state SET streak = u.streak, last_at = u.last_at, last_id = u.last_id,
      last_status = u.last_status, last_http = u.last_http, spark = u.spark
    FROM (SELECT t.model_id,
        CASE WHEN o.id IS NOT NULL THEN (SELECT COUNT(*) FROM checks f
            WHERE f.model_id = t.model_id AND f.checked_at >= o.checked_at
              AND (f.checked_at > o.checked_at OR f.id > o.id) AND ${countedFailureSql("f")})
          ELSE MAX(0, s.streak - t.gone) END AS streak,
        ${pick("last_at", "checked_at")} AS last_at, ${pick("last_id", "id")} AS last_id,
        ${pick("last_status", "status")} AS last_status,
        ${pick("last_http", "http_status")} AS last_http,
        CASE WHEN ${keep} THEN s.spark ELSE (SELECT json_group_array(v ORDER BY at, id) FROM (
          SELECT CASE WHEN x.status = 'ok' THEN x.latency_ms END AS v, x.checked_at AS at, x.id
          FROM checks x WHERE x.model_id = t.model_id AND ${measuredSql("x")}
          ORDER BY x.checked_at DESC, x.id DESC LIMIT ${STATE_SPARKLINE})) END AS spark
      FROM (SELECT c.model_id,
          SUM(r.dir * (s.last_ok_at IS NULL OR c.checked_at > s.last_ok_at OR
            (c.checked_at = s.last_ok_at AND c.id > s.last_ok_id))) AS gone,
          SUM(r.dir = 1 AND c.id IS s.last_id) AS lost
        FROM ${REBLAMED} JOIN model_state s ON s.model_id = c.model_id
        GROUP BY c.model_id) t
      JOIN model_state s ON s.model_id = t.model_id
      LEFT JOIN checks o ON o.id = s.last_ok_id
      LEFT JOIN checks l ON l.id = ${newest}) u
    WHERE model_state.model_id = u.model_id`;
}

/**
 * Migration 10: the rollups learn the blame. The new `openrouter` column, then every failed
 * check already blamed on OpenRouter (at insert or by an incident; migration 8 indexes them)
 * moved into it and out of its failure column, and its model's state worked out again. Checks
 * past the raw checks' retention are gone: their hours stay as they were rolled up.
 */
export const NOT_MEASURED_SCHEMA: readonly string[] = [
  `ALTER TABLE ${ROLLUP_TABLE} ADD COLUMN openrouter INTEGER NOT NULL DEFAULT 0`,
  ...REBLAME_SETUP,
  `INSERT INTO temp.reblame (id, dir)
    SELECT c.id, 1 FROM checks c WHERE c.fault = 'openrouter' AND c.status IN (${failureList})`,
  ...reblameStatements(),
];

/** Schema of migration 2, and the backfill of everything from the checks already stored. */
export const ROLLUP_SCHEMA: readonly string[] = [
  `CREATE TABLE model_keys (
    key INTEGER PRIMARY KEY,
    model_id TEXT NOT NULL UNIQUE
  )`,
  rollupTableSql(V2),
  `CREATE TABLE model_state (
    model_id TEXT PRIMARY KEY,
    last_any_at INTEGER NOT NULL,
    last_at INTEGER,
    last_id INTEGER,
    last_status TEXT,
    last_http INTEGER,
    streak INTEGER NOT NULL DEFAULT 0,
    spark TEXT NOT NULL DEFAULT '[]',
    last_ok_at INTEGER,
    last_ok_id INTEGER
  )`,
  // Small named numbers: `raw_pruned_before` (retention.ts), `rollups_version`.
  `CREATE TABLE store_meta (name TEXT PRIMARY KEY, value INTEGER)`,
  `INSERT INTO store_meta (name, value) VALUES ('rollups_version', 0)`,
  // The Python scouter's runs already imported (lib/legacy): importing twice adds nothing.
  `CREATE TABLE legacy_runs (
    legacy_key TEXT PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE
  )`,
  ...rollupStatements("1", V2),
];
