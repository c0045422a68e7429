/**
 * Reading a Python scouter database (read only): `runs (id, run_datetime)` and
 * `healthchecks (run_id, model_id, ok, http_status, error_category, latency_ms)`.
 */
import { type Client, createClient } from "@libsql/client";
import { num, str } from "../db/values.ts";
import type { LegacyCheck } from "./mapping.ts";

export class LegacyError extends Error {}

const REQUIRED: Record<string, string[]> = {
  runs: ["id", "run_datetime"],
  healthchecks: ["run_id", "model_id", "ok", "http_status", "error_category", "latency_ms"],
};

/**
 * Rows that name a model. The others cannot be imported (and a model "" would share the fleet's
 * rollup key): every query leaves them out alike, and `legacyRowsWithoutModel` counts them. The
 * run id is read as a number even where a loosely typed column kept it as text.
 */
const WITH_MODEL = "NULLIF(TRIM(CAST(model_id AS TEXT)), '') IS NOT NULL";
const RUN_ID = "CAST(run_id AS INTEGER)";

export interface LegacySource {
  client: Client;
  close(): void;
}

/** Opens `path` read-only and checks it has the Python scouter's tables and columns. */
export async function openLegacy(path: string): Promise<LegacySource> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) throw new LegacyError(`${path} is not a file`);
  } catch (e) {
    if (e instanceof LegacyError) throw e;
    throw new LegacyError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const url = `file:${path.split("/").map(encodeURIComponent).join("/")}`;
  let client: Client;
  try {
    client = createClient({ url });
  } catch (e) {
    throw new LegacyError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    // No write can happen through this connection, whatever a bug might try.
    await client.execute("PRAGMA query_only = ON");
    for (const [table, columns] of Object.entries(REQUIRED)) {
      const rs = await client.execute(`PRAGMA table_info(${table})`);
      if (rs.rows.length === 0) {
        throw new LegacyError(`${path} is not a Python scouter database: no table "${table}"`);
      }
      const have = new Set(rs.rows.map((r) => str(r.name).toLowerCase()));
      const missing = columns.filter((c) => !have.has(c));
      if (missing.length) {
        throw new LegacyError(
          `${path} is not a Python scouter database: table "${table}" has no column ` +
            missing.map((c) => `"${c}"`).join(", "),
        );
      }
    }
  } catch (e) {
    client.close();
    if (e instanceof LegacyError) throw e;
    const message = (e as Error).message;
    if (/SQLITE_READONLY|SQLITE_CANTOPEN/.test(message)) {
      // SQLite reads a database in WAL mode only where it may write its -shm/-wal files.
      throw new LegacyError(
        `cannot read ${path}: SQLite needs write access to it and its folder to read it ` +
          `(a WAL-mode database); copy it somewhere writable and import the copy`,
      );
    }
    throw new LegacyError(`cannot read ${path} as a SQLite database: ${message}`);
  }
  return { client, close: () => client.close() };
}

export interface LegacyRun {
  id: number;
  run_datetime: string;
  /** Rows of `healthchecks` with this run_id. */
  rows: number;
}

/** Every run with its number of checks, by id. */
export async function legacyRuns(src: LegacySource): Promise<LegacyRun[]> {
  const rs = await src.client.execute(
    `SELECT r.id, r.run_datetime, COALESCE(h.n, 0) AS n FROM runs r
      LEFT JOIN (SELECT ${RUN_ID} AS run_id, COUNT(*) AS n FROM healthchecks
        WHERE ${WITH_MODEL} GROUP BY 1) h ON h.run_id = r.id
    ORDER BY r.id`,
  );
  return rs.rows.map((r) => ({ id: num(r.id), run_datetime: str(r.run_datetime), rows: num(r.n) }));
}

/** Rows of `healthchecks` that name a model, those naming no run included (the total read). */
export async function legacyRowCount(src: LegacySource): Promise<number> {
  const rs = await src.client.execute(`SELECT COUNT(*) AS n FROM healthchecks WHERE ${WITH_MODEL}`);
  return num(rs.rows[0]?.n ?? 0);
}

/** Rows of `healthchecks` that name no model (left out). */
export async function legacyRowsWithoutModel(src: LegacySource): Promise<number> {
  const rs = await src.client.execute(
    `SELECT COUNT(*) AS n FROM healthchecks WHERE NOT (${WITH_MODEL})`,
  );
  return num(rs.rows[0]?.n ?? 0);
}

/**
 * Rows of `healthchecks` in the table's order, `limit` at a time after `afterRowid`. A page
 * comes back as one JSON text (several times faster than a row object per check).
 */
export async function legacyChecks(
  src: LegacySource,
  afterRowid: number,
  limit: number,
): Promise<{ rowid: number; run_id: number | null; check: LegacyCheck }[]> {
  const rs = await src.client.execute({
    sql: `SELECT json_group_array(json_array(rid, run_id, model_id, ok, http_status,
        error_category, latency_ms)) AS page
      FROM (SELECT rowid AS rid, ${RUN_ID} AS run_id, TRIM(CAST(model_id AS TEXT)) AS model_id,
          ok, http_status, CAST(error_category AS TEXT) AS error_category, latency_ms
        FROM healthchecks WHERE rowid > ? AND ${WITH_MODEL} ORDER BY rowid LIMIT ?)`,
    args: [afterRowid, limit],
  });
  const page = JSON.parse(String(rs.rows[0]?.page ?? "[]")) as unknown[][];
  // Numbers, or text holding one (SQLite keeps what a loosely typed column was given).
  const numOr = (v: unknown) => {
    const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
    return typeof n === "number" && Number.isFinite(n) ? n : null;
  };
  return page.map(([rowid, run, model, ok, http, category, latency]) => ({
    rowid: Number(rowid),
    run_id: numOr(run),
    check: {
      model_id: String(model),
      // 1/0, or "true"/"True" from a Python bool stored as text.
      ok: ok === 1 || ok === true || (typeof ok === "string" && /^(1|true)$/i.test(ok.trim())),
      http_status: numOr(http),
      error_category: typeof category === "string" ? category : null,
      latency_ms: numOr(latency),
    },
  }));
}
