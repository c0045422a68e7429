/** Scan runs as the API and pages show them. */
import type { RunRow, Store } from "../db/store.ts";
import { toRunRow } from "../db/runs.ts";
import { iso, isoOrNull } from "./sql.ts";
import type { RunSummary } from "./types.ts";

/** Newest first. */
export async function recentRuns(store: Store, limit: number): Promise<RunSummary[]> {
  return (await store.listRuns(limit)).map(toRunSummary);
}

/** The newest run that has ended (any status but `running`), or null. */
export async function lastFinishedRun(store: Store): Promise<RunSummary | null> {
  const rs = await store.client.execute(
    `SELECT id, started_at, finished_at, status, "trigger", total_models, ok_count, failed_count,
      skipped_count, error, pid, host, heartbeat_at, incident, traffic_measured
    FROM runs WHERE status <> 'running' ORDER BY started_at DESC, id DESC LIMIT 1`,
  );
  return rs.rows.length ? toRunSummary(toRunRow(rs.rows[0])) : null;
}

/** Leaves out what only the scanner needs (pid, host, heartbeat). */
export function toRunSummary(r: RunRow): RunSummary {
  return {
    id: r.id,
    started_at: iso(r.started_at),
    finished_at: isoOrNull(r.finished_at),
    status: r.status,
    trigger: r.trigger,
    total_models: r.total_models,
    ok_count: r.ok_count,
    failed_count: r.failed_count,
    skipped_count: r.skipped_count,
    error: r.error,
    incident: r.incident,
    traffic_measured: r.traffic_measured,
  };
}
