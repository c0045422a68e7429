/**
 * One check's share of the rollups and of its model's latest state (./rollups.ts), for
 * insertCheck: the same result as rollups.ts `rollupStatements` on that check, in SQL small enough to prepare
 * quickly. libsql prepares every statement afresh, and preparing the bulk SQL costs more than
 * running it on one check, so only the columns this check changes appear in it.
 */
import type { InStatement } from "@libsql/client";
import type { CheckResult } from "../domain/check.ts";
import { binOf } from "./histogram.ts";
import {
  BUMP_ROLLUPS_VERSION,
  countedFailureSql,
  FLEET_KEY,
  GRAINS,
  isBlamed,
  measuredSql,
  ROLLUP_TABLE,
  STATE_SPARKLINE,
} from "./rollups.ts";
import { cleanText, intOrNull } from "./values.ts";

/** The fields of a check the rollups and the latest state use. */
export type RolledCheck =
  & Pick<
    CheckResult,
    "model_id" | "checked_at" | "status" | "http_status" | "latency_ms" | "ttft_ms"
  >
  & Pick<Partial<CheckResult>, "fault">;

/** The statements for one check, just inserted (it has the highest id). */
export function checkRollupStatements(c: RolledCheck): InStatement[] {
  const model = cleanText(c.model_id);
  const at = intOrNull(c.checked_at);
  const ok = c.status === "ok";
  // Added to the row's counters (all start at 0). A failure blamed on OpenRouter is not
  // measured: it counts in `openrouter` alone.
  const add: Record<string, number> = {};
  if (c.status === "skipped") add.skipped = 1;
  else if (isBlamed(c)) add.openrouter = 1;
  else {
    add.checks = 1;
    if (ok) add.ok = 1;
    else add[`n_${c.status}`] = 1;
  }
  // Measures of the ok check: [count, sum, min, max, histogram] columns and the value.
  const measures: [string, number][] = [];
  const lat = ok ? intOrNull(c.latency_ms) : null;
  const ttft = ok ? intOrNull(c.ttft_ms) : null;
  if (lat !== null) measures.push(["lat", lat]);
  if (ttft !== null) measures.push(["ttft", ttft]);
  for (const [m, v] of measures) {
    add[`${m}_n`] = 1;
    add[`${m}_sum`] = v;
  }
  const cols = [
    ...Object.keys(add),
    ...measures.flatMap(([m]) => [`${m}_min`, `${m}_max`, `${m}_hist`]),
  ];
  const value = (col: string): string => {
    const m = /^(lat|ttft)_(min|max|hist)$/.exec(col);
    if (!m) return String(add[col]);
    const v = measures.find(([name]) => name === m[1])![1];
    return m[2] === "hist" ? `'${JSON.stringify({ [binOf(v)]: [1, v] })}'` : String(v);
  };
  const set = (col: string): string => {
    const m = /^(lat|ttft)_(min|max|hist)$/.exec(col);
    if (!m) return `${col} = ${col} + excluded.${col}`;
    if (m[2] !== "hist") {
      const fn = m[2].toUpperCase();
      return `${col} = ${fn}(COALESCE(${col}, excluded.${col}), excluded.${col})`;
    }
    const v = measures.find(([name]) => name === m[1])![1];
    const path = `'$."${binOf(v)}"'`;
    return `${col} = CASE WHEN ${col} IS NULL THEN excluded.${col}
      ELSE json_set(${col}, ${path}, json_array(COALESCE(${col} ->> (${path} || '[0]'), 0) + 1,
        COALESCE(${col} ->> (${path} || '[1]'), 0) + ${v})) END`;
  };
  // Four rows: the model's and the fleet's, hourly and daily. Every value is a number computed
  // here (or JSON of numbers), written as a literal.
  const rows = Object.values(GRAINS).flatMap(({ code, step }) => {
    const bucket = at === null ? "NULL" : String(Math.floor(at / step) * step);
    return ["(SELECT key FROM model_keys WHERE model_id = :m)", String(FLEET_KEY)].map((key) =>
      `(${key}, ${code}, ${bucket}, ${cols.map(value).join(", ")})`
    );
  });
  const statements: InStatement[] = [
    { sql: "INSERT OR IGNORE INTO model_keys (model_id) VALUES (:m)", args: { m: model } },
    {
      sql: `INSERT INTO ${ROLLUP_TABLE} (model_key, grain, bucket, ${cols.join(", ")})
        VALUES ${rows.join(", ")}
        ON CONFLICT (model_key, grain, bucket) DO UPDATE SET ${cols.map(set).join(", ")}`,
      args: { m: model },
    },
  ];
  statements.push(stateStatement(model, at, c, ok), BUMP_ROLLUPS_VERSION);
  return statements;
}

/** See `checkRollupStatements`: the latest state's share of one check. */
function stateStatement(
  model: string,
  at: number | null,
  c: RolledCheck,
  ok: boolean,
): InStatement {
  const t = at === null ? "NULL" : String(at);
  // Not measured (skipped, or blamed on OpenRouter): neither the latest measured check nor a
  // part of the streak or the sparkline.
  if (c.status === "skipped" || isBlamed(c)) {
    return {
      sql: `INSERT INTO model_state (model_id, last_any_at) VALUES (:m, ${t})
        ON CONFLICT (model_id) DO UPDATE SET last_any_at = MAX(last_any_at, excluded.last_any_at)`,
      args: { m: model },
    };
  }
  // After the latest measured (or ok) check stored? Usually; a check may also arrive late (from
  // another region's scan): then the sparkline is read back from the checks.
  const after = (atCol: string, idCol: string) =>
    `(model_state.${atCol} IS NULL OR excluded.last_at > model_state.${atCol} OR
      (excluded.last_at = model_state.${atCol} AND excluded.last_id > model_state.${idCol}))`;
  const newer = after("last_at", "last_id");
  const afterOk = after("last_ok_at", "last_ok_id");
  const pick = (col: string) => `${col} = CASE WHEN ${newer} THEN excluded.${col} ELSE ${col} END`;
  const latency = ok ? intOrNull(c.latency_ms) : null;
  const v = latency === null ? "NULL" : String(latency);
  const http = intOrNull(c.http_status);
  const id = "(SELECT MAX(id) FROM checks)";
  // An ok check resets the streak to the failures stored after it (none, when it is the latest);
  // a failure after the latest ok check extends it.
  const streak = ok
    ? `CASE WHEN ${afterOk} THEN (SELECT COUNT(*) FROM checks f
        WHERE f.model_id = excluded.model_id AND f.checked_at >= excluded.last_at
          AND (f.checked_at > excluded.last_at OR f.id > excluded.last_id)
          AND ${countedFailureSql("f")}) ELSE streak END`
    : `streak + ${afterOk}`;
  const okCols = ok
    ? `, last_ok_at = CASE WHEN ${afterOk} THEN excluded.last_ok_at ELSE last_ok_at END,
        last_ok_id = CASE WHEN ${afterOk} THEN excluded.last_ok_id ELSE last_ok_id END`
    : "";
  return {
    sql: `INSERT INTO model_state (model_id, last_any_at, last_at, last_id, last_status, last_http,
        streak, spark, last_ok_at, last_ok_id)
      VALUES (:m, ${t}, ${t}, ${id}, :status, ${http ?? "NULL"}, ${ok ? 0 : 1}, json_array(${v}),
        ${ok ? t : "NULL"}, ${ok ? id : "NULL"})
      ON CONFLICT (model_id) DO UPDATE SET
        last_any_at = MAX(last_any_at, excluded.last_any_at),
        ${pick("last_at")}, ${pick("last_id")}, ${pick("last_status")}, ${pick("last_http")},
        streak = ${streak},
        spark = CASE WHEN ${newer} THEN
            CASE WHEN json_array_length(spark) >= ${STATE_SPARKLINE}
              THEN json_remove(json_insert(spark, '$[#]', ${v}), '$[0]')
              ELSE json_insert(spark, '$[#]', ${v}) END
          ELSE (SELECT json_group_array(v ORDER BY at, id) FROM (
            SELECT CASE WHEN x.status = 'ok' THEN x.latency_ms END AS v, x.checked_at AS at, x.id
            FROM checks x WHERE x.model_id = excluded.model_id AND ${measuredSql("x")}
            ORDER BY x.checked_at DESC, x.id DESC LIMIT ${STATE_SPARKLINE})) END${okCols}`,
    args: { m: model, status: c.status },
  };
}
