/** Scan runs: one row per scan, from `running` to a final status. */
import type { Client, Row } from "@libsql/client";
import { RUN_STATUSES, type RunStatus, type RunTrigger } from "../domain/check.ts";
import { StoreError } from "./errors.ts";
import { cleanTextOrNull, intOrNull, num, numOrNull, str, strOrNull } from "./values.ts";

export interface RunRow {
  id: number;
  started_at: number;
  finished_at: number | null;
  status: RunStatus;
  trigger: RunTrigger;
  total_models: number | null;
  ok_count: number;
  failed_count: number;
  skipped_count: number;
  error: string | null;
  pid: number | null;
  host: string | null;
  /** Written every few seconds while the scan's process is alive. */
  heartbeat_at: number | null;
  /** OPENROUTER_SCOUT_REGION of the process that ran it; null when untagged. */
  region: string | null;
  /** An OpenRouter incident seen during the run (most models failing alike), or null. */
  incident: string | null;
  /** Selected models not probed: routed traffic measured them recently (migration 12). */
  traffic_measured: number;
}

export interface NewRun {
  trigger: RunTrigger;
  started_at: number;
  pid?: number;
  host?: string;
  region?: string | null;
}

export interface RunEnd {
  status: RunStatus;
  finished_at: number;
  error?: string | null;
  incident?: string | null;
  /** Selected models routed traffic measured recently, so not probed; unset: 0. */
  traffic_measured?: number;
}

const RUN_COLUMNS = `id, started_at, finished_at, status, "trigger", total_models, ok_count,
  failed_count, skipped_count, error, pid, host, heartbeat_at, region, incident, traffic_measured`;

/** The per-run counts, recomputed from the checks table (the source of truth). */
const COUNTS_FROM_CHECKS = `
  ok_count = (SELECT COUNT(*) FROM checks c WHERE c.run_id = runs.id AND c.status = 'ok'),
  failed_count = (SELECT COUNT(*) FROM checks c
    WHERE c.run_id = runs.id AND c.status NOT IN ('ok', 'skipped')),
  skipped_count = (SELECT COUNT(*) FROM checks c
    WHERE c.run_id = runs.id AND c.status = 'skipped')`;

export function toRunRow(r: Row): RunRow {
  return {
    id: num(r.id),
    started_at: num(r.started_at),
    finished_at: numOrNull(r.finished_at),
    // Written only through startRun/finishRun, which accept only these unions.
    status: str(r.status) as RunStatus,
    trigger: str(r.trigger) as RunTrigger,
    total_models: numOrNull(r.total_models),
    ok_count: num(r.ok_count),
    failed_count: num(r.failed_count),
    skipped_count: num(r.skipped_count),
    error: strOrNull(r.error),
    pid: numOrNull(r.pid),
    host: strOrNull(r.host),
    heartbeat_at: numOrNull(r.heartbeat_at),
    region: strOrNull(r.region),
    incident: strOrNull(r.incident),
    // Selected without the column (an older SELECT list): none.
    traffic_measured: numOrNull(r.traffic_measured) ?? 0,
  };
}

export async function startRun(client: Client, r: NewRun): Promise<number> {
  const rs = await client.execute({
    sql: `INSERT INTO runs (started_at, status, "trigger", pid, host, heartbeat_at, region)
      VALUES (?, 'running', ?, ?, ?, ?, ?) RETURNING id`,
    args: [
      intOrNull(r.started_at),
      r.trigger,
      intOrNull(r.pid),
      cleanTextOrNull(r.host),
      intOrNull(r.started_at),
      cleanTextOrNull(r.region),
    ],
  });
  return num(rs.rows[0].id);
}

export async function setRunTotal(client: Client, runId: number, total: number): Promise<void> {
  await client.execute({
    sql: "UPDATE runs SET total_models = ? WHERE id = ?",
    args: [intOrNull(total), runId],
  });
}

/** Tells other processes sharing the database that this run's process is alive. */
export async function heartbeat(client: Client, runId: number, at: number): Promise<void> {
  await client.execute({
    sql: "UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'",
    args: [intOrNull(at), runId],
  });
}

export async function finishRun(client: Client, runId: number, r: RunEnd): Promise<void> {
  if (!(RUN_STATUSES as readonly string[]).includes(r.status)) {
    throw new StoreError(`unknown run status ${JSON.stringify(r.status)}`);
  }
  const rs = await client.execute({
    sql: `UPDATE runs SET status = ?, finished_at = ?, error = ?, incident = ?,
      traffic_measured = ?, ${COUNTS_FROM_CHECKS} WHERE id = ?`,
    args: [
      r.status,
      intOrNull(r.finished_at),
      cleanTextOrNull(r.error),
      cleanTextOrNull(r.incident ?? null),
      Math.max(0, Math.trunc(r.traffic_measured ?? 0)),
      runId,
    ],
  });
  if (rs.rowsAffected === 0) throw new StoreError(`run ${runId} does not exist`);
}

/** Decides whether the process behind a `running` run is still at work. */
export type RunLiveness = (run: RunRow, lastActivityAt: number) => boolean;

/**
 * Closes runs left `running` by a process that died (crash, SIGKILL, power loss). Several
 * processes may share a database (the server and `deno task scan`), so only the runs that
 * `isAlive` rejects are closed; its default, for single-process callers, rejects them all.
 * `lastActivityAt` is the newest of its start, heartbeat and checks.
 */
export async function markInterruptedRuns(
  client: Client,
  now: number,
  isAlive: RunLiveness = () => false,
): Promise<number> {
  const rs = await client.execute(
    `SELECT ${RUN_COLUMNS}, (SELECT MAX(checked_at) FROM checks c WHERE c.run_id = runs.id)
      AS last_check_at FROM runs WHERE status = 'running'`,
  );
  const dead = rs.rows
    .map((r) => ({
      run: toRunRow(r),
      last: Math.max(
        num(r.started_at),
        numOrNull(r.heartbeat_at) ?? 0,
        numOrNull(r.last_check_at) ?? 0,
      ),
    }))
    .filter(({ run, last }) => !isAlive(run, last));
  if (dead.length === 0) return 0;
  // It ended at its last sign of life (heartbeat, check or start), not when it was noticed:
  // after a night's downtime the run did not last all night.
  await client.batch(
    dead.map(({ run, last }) => ({
      sql: `UPDATE runs SET status = 'interrupted', finished_at = ?, ${COUNTS_FROM_CHECKS}
        WHERE id = ? AND status = 'running'`,
      args: [intOrNull(Math.min(last, now)), run.id],
    })),
    "write",
  );
  return dead.length;
}

/** Newest first. */
export async function listRuns(client: Client, limit: number): Promise<RunRow[]> {
  const rs = await client.execute({
    sql: `SELECT ${RUN_COLUMNS} FROM runs ORDER BY started_at DESC, id DESC LIMIT ?`,
    args: [clampLimit(limit)],
  });
  return rs.rows.map(toRunRow);
}

/** When the latest run of `region` (null: the untagged ones) started; null if it has none. */
export async function lastRunStartedAt(
  client: Client,
  region: string | null,
): Promise<number | null> {
  const rs = await client.execute({
    sql: "SELECT MAX(started_at) AS at FROM runs WHERE region IS ?",
    args: [region],
  });
  return numOrNull(rs.rows[0]?.at);
}

export async function getRun(client: Client, id: number): Promise<RunRow | null> {
  const rs = await client.execute({
    sql: `SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`,
    args: [id],
  });
  return rs.rows.length ? toRunRow(rs.rows[0]) : null;
}

/** A LIMIT value: a non-negative integer; anything else (NaN, Infinity) means "no limit". */
export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return -1;
  return Math.max(0, Math.floor(limit));
}
