/**
 * Writing many runs and checks at once (the legacy import, the demo history): one transaction per
 * call, the rows passed as JSON (a few statements, whatever the row count). The rollups of the new
 * checks are summed here, in JavaScript, and added to the stored ones by one upsert (far cheaper
 * than grouping them again in SQL); the latest state is brought up to date in SQL
 * (rollups.ts `refreshStateSql`). All in the same transaction. Call it with a few thousand checks
 * at a time.
 */
import type { Client } from "@libsql/client";
import type { CheckResult, RunStatus, RunTrigger } from "../domain/check.ts";
import { checkValues, faultValue } from "./checks.ts";
import { binOf } from "./histogram.ts";
import {
  BUMP_ROLLUPS_VERSION,
  FAILURE_STATUSES,
  GRAINS,
  isBlamed,
  mergeRollupSql,
  modelKeysSql,
  refreshStateSql,
  ROLLUP_COLUMNS,
  ROLLUP_TABLE,
  SUM_COLUMNS,
} from "./rollups.ts";
import { cleanText, intOrNull, msOrNull } from "./values.ts";

export interface BulkRun {
  started_at: number;
  finished_at: number | null;
  status: RunStatus;
  trigger: RunTrigger;
  /** Recorded in `legacy_runs`: a run with a key already there fails the whole call. */
  legacy_key?: string | null;
  checks: CheckResult[];
  /**
   * false: only roll the checks up, without storing them raw — for checks older than the
   * retention window, which pruning would delete anyway (bulk_writer.ts). Default true.
   */
  raw?: boolean;
}

export interface BulkReport {
  runs: number;
  /** Checks written raw (all of them were rolled up). */
  checks: number;
  /** The ids given to the runs, in order. */
  runIds: number[];
}

/**
 * The rows of a JSON array parameter, each converted to JSONB once: extracting a column from JSON
 * text parses the whole row again, which made wide rows cost a parse per column.
 */
const ROWS = "WITH j AS MATERIALIZED (SELECT key AS k, jsonb(value) AS v FROM json_each(?))";

/** The new checks of this transaction: ids above the mark taken at its start. */
const NEW_CHECKS = "c.id > (SELECT check_base FROM temp.bulk_mark)";

const col = (i: number) => `j.v ->> ${i}`;
const cols = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => col(from + i)).join(", ");

/** Remembers the highest run and check ids before the transaction's writes. */
const MARK = [
  `CREATE TEMP TABLE IF NOT EXISTS bulk_mark (run_base INTEGER NOT NULL, check_base INTEGER NOT NULL)`,
  "DELETE FROM temp.bulk_mark",
  `INSERT INTO temp.bulk_mark (run_base, check_base)
    SELECT COALESCE((SELECT MAX(id) FROM runs), 0), COALESCE((SELECT MAX(id) FROM checks), 0)`,
];

function checkRow(c: CheckResult, run: number): unknown[] {
  return [run, ...checkValues(c), faultValue(c)];
}

/** Inserts check rows `[run, …]`; `runBase`: SQL added to each row's run (or "0"). */
function insertChecks(rows: unknown[][], runBase: string) {
  return {
    sql: `${ROWS}
      INSERT INTO checks (run_id, model_id, checked_at, status, ok, http_status, latency_ms,
        ttft_ms, attempts, output_tokens, tokens_per_second, provider, error, skip_reason,
        answer, fault)
      SELECT ${runBase} + ${col(0)}, ${cols(1, 15)} FROM j, temp.bulk_mark m`,
    args: [JSON.stringify(rows)],
  };
}

/**
 * Writes `runs` with their checks (raw unless `raw: false`), the checks' rollups, and the latest
 * state of their models, in one transaction.
 */
export async function writeBulk(client: Client, runs: readonly BulkRun[]): Promise<BulkReport> {
  if (runs.length === 0) return { runs: 0, checks: 0, runIds: [] };
  const runRows: unknown[][] = [];
  const keyRows: unknown[][] = [];
  const checkRows: unknown[][] = [];
  const models = new Set<string>();
  runs.forEach((r, i) => {
    let ok = 0, skipped = 0;
    for (const c of r.checks) {
      const row = checkRow(c, i);
      models.add(row[1] as string);
      if (r.raw !== false) checkRows.push(row);
      if (c.status === "ok") ok++;
      if (c.status === "skipped") skipped++;
    }
    runRows.push([
      intOrNull(r.started_at),
      intOrNull(r.finished_at),
      r.status,
      r.trigger,
      r.checks.length,
      ok,
      r.checks.length - ok - skipped,
      skipped,
    ]);
    if (r.legacy_key != null) keyRows.push([cleanText(r.legacy_key), i]);
  });
  const results = await client.batch([
    ...MARK,
    {
      sql: `${ROWS}
        INSERT INTO runs (id, started_at, finished_at, status, "trigger", total_models,
          ok_count, failed_count, skipped_count)
        SELECT m.run_base + 1 + j.k, ${cols(0, 8)} FROM j, temp.bulk_mark m`,
      args: [JSON.stringify(runRows)],
    },
    {
      sql: `${ROWS}
        INSERT INTO legacy_runs (legacy_key, run_id)
        SELECT ${col(0)}, m.run_base + 1 + ${col(1)} FROM j, temp.bulk_mark m`,
      args: [JSON.stringify(keyRows)],
    },
    insertChecks(checkRows, "m.run_base + 1"),
    {
      sql: "INSERT OR IGNORE INTO model_keys (model_id) SELECT value FROM json_each(?)",
      args: [JSON.stringify([...models])],
    },
    {
      sql: `${ROWS}
        INSERT INTO ${ROLLUP_TABLE} (model_key, grain, bucket, ${ROLLUP_COLUMNS.join(", ")})
        SELECT CASE WHEN ${col(0)} IS NULL THEN 0
            ELSE (SELECT key FROM model_keys WHERE model_id = ${col(0)}) END,
          ${cols(1, ROLLUP_COLUMNS.length + 2)}
        FROM j WHERE true
        ${mergeRollupSql()}`,
      args: [JSON.stringify(rollupRows(runs.flatMap((r) => r.checks)))],
    },
    refreshStateSql(NEW_CHECKS),
    BUMP_ROLLUPS_VERSION,
    "SELECT run_base FROM temp.bulk_mark",
  ], "write");
  const base = Number(results.at(-1)?.rows[0]?.run_base ?? 0);
  return {
    runs: runs.length,
    checks: checkRows.length,
    runIds: runs.map((_, i) => base + 1 + i),
  };
}

/**
 * Stores checks of runs already written without their rollups (they were rolled up then), and
 * brings their models' latest state up to date: the older checks a latest state still needs
 * (bulk_writer.ts).
 */
export async function writeRawChecks(
  client: Client,
  rows: readonly { runId: number; check: CheckResult }[],
): Promise<void> {
  if (rows.length === 0) return;
  await client.batch([
    ...MARK,
    insertChecks(rows.map((r) => checkRow(r.check, r.runId)), "0"),
    modelKeysSql(NEW_CHECKS),
    refreshStateSql(NEW_CHECKS),
  ], "write");
}

/** A rollup row being summed: the model (null: the fleet), grain code, bucket, and values. */
interface Sum {
  row: (number | string | null)[];
  /** Histograms as stored: bin → [count, sum]; null until a value comes. */
  hist: [Record<number, [number, number]> | null, Record<number, [number, number]> | null];
}

const SUM_INDEX = new Map(SUM_COLUMNS.map((c, i) => [c, 3 + i]));
/** Row index of the counter a status adds to (besides `checks` for measured ones). */
const STATUS_INDEX = new Map<string, number>([
  ["ok", SUM_INDEX.get("ok")!],
  ["skipped", SUM_INDEX.get("skipped")!],
  ...FAILURE_STATUSES.map((s): [string, number] => [s, SUM_INDEX.get(`n_${s}`)!]),
]);
const CHECKS = SUM_INDEX.get("checks")!;
const OPENROUTER = SUM_INDEX.get("openrouter")!;
const LAT_N = SUM_INDEX.get("lat_n")!;
const TTFT_N = SUM_INDEX.get("ttft_n")!;
/** lat_min; then ttft_min, lat_max, ttft_max. */
const MIN_LAT = 3 + SUM_COLUMNS.length;

/**
 * The checks' rollup rows, as rollups.ts `rollupRowsSql` would group them: per model and for the
 * fleet, hourly and daily; each `[model | null, grain, bucket, …ROLLUP_COLUMNS]`.
 */
export function rollupRows(checks: readonly CheckResult[]): (number | string | null)[][] {
  // grain code → bucket → model ("" for the fleet) → sum
  const sums = Object.values(GRAINS).map(() => new Map<number, Map<string, Sum>>());
  const out: Sum[] = [];
  const sumOf = (g: number, code: number, bucket: number, model: string): Sum => {
    let byModel = sums[g].get(bucket);
    if (!byModel) sums[g].set(bucket, byModel = new Map());
    let s = byModel.get(model);
    if (!s) {
      // SUM columns start at 0; then lat_min, ttft_min, lat_max, ttft_max.
      const row = [model === "" ? null : model, code, bucket, ...SUM_COLUMNS.map(() => 0)];
      row.push(null, null, null, null);
      s = { row, hist: [null, null] };
      byModel.set(model, s);
      out.push(s);
    }
    return s;
  };
  const measure = (s: Sum, which: 0 | 1, v: number) => {
    const row = s.row as number[];
    row[which ? TTFT_N : LAT_N]++;
    row[(which ? TTFT_N : LAT_N) + 1] += v;
    const min = MIN_LAT + which;
    row[min] = row[min] === null ? v : Math.min(row[min], v);
    row[min + 2] = row[min + 2] === null ? v : Math.max(row[min + 2], v);
    const hist = s.hist[which] ??= {};
    const bin = binOf(v);
    const h = hist[bin];
    if (h) {
      h[0]++;
      h[1] += v;
    } else hist[bin] = [1, v];
  };
  const grains = Object.values(GRAINS);
  for (const c of checks) {
    const at = intOrNull(c.checked_at);
    // A failure blamed on OpenRouter is not measured: it counts in `openrouter` alone.
    const index = isBlamed(c) ? OPENROUTER : STATUS_INDEX.get(c.status);
    if (at === null) continue;
    const model = cleanText(c.model_id);
    const lat = c.status === "ok" ? msOrNull(c.latency_ms) : null;
    const ttft = c.status === "ok" ? msOrNull(c.ttft_ms) : null;
    for (let g = 0; g < grains.length; g++) {
      const { code, step } = grains[g];
      const bucket = Math.floor(at / step) * step;
      for (const s of [sumOf(g, code, bucket, model), sumOf(g, code, bucket, "")]) {
        const row = s.row as number[];
        // A status this version does not know counts nowhere (as in rollupRowsSql).
        if (index !== undefined) {
          row[index]++;
          if (c.status !== "skipped" && index !== OPENROUTER) row[CHECKS]++;
        }
        if (lat !== null) measure(s, 0, lat);
        if (ttft !== null) measure(s, 1, ttft);
      }
    }
  }
  const json = (h: Record<number, [number, number]> | null) => h && JSON.stringify(h);
  return out.map((s) => [...s.row, json(s.hist[0]), json(s.hist[1])]);
}
