/**
 * The router's storage: circuit breaker state per model, the run that routed traffic's checks
 * belong to, traffic checks (never the prompt or the answer), and the probe outcomes the
 * breakers follow.
 */
import type { Client, InStatement } from "@libsql/client";
import { type CheckResult, type CheckStatus, type Fault, FAULTS } from "../domain/check.ts";
import { checkInsertStatement } from "./checks.ts";
import { checkRollupStatements } from "./rollup_check.ts";
import { num, numOrNull, str } from "./values.ts";

export interface StoredBreaker {
  model_id: string;
  state: "closed" | "open" | "half_open";
  failures: number;
  since: number | null;
}

export async function loadBreakers(client: Client): Promise<StoredBreaker[]> {
  const rs = await client.execute(
    "SELECT model_id, state, failures, opened_at FROM router_breakers ORDER BY model_id",
  );
  return rs.rows.map((r) => ({
    model_id: str(r.model_id),
    state: str(r.state) as StoredBreaker["state"],
    failures: num(r.failures),
    since: numOrNull(r.opened_at),
  }));
}

export async function saveBreaker(client: Client, b: StoredBreaker, now: number): Promise<void> {
  await client.execute({
    sql: `INSERT INTO router_breakers (model_id, state, failures, opened_at, updated_at)
      VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (model_id) DO UPDATE SET state = excluded.state, failures = excluded.failures,
        opened_at = excluded.opened_at, updated_at = excluded.updated_at`,
    args: [b.model_id, b.state, b.failures, b.since, now],
  });
}

/**
 * The id of the run traffic checks belong to (checks need a run). Created on first use, in
 * one transaction: a finished run that starts at 0, so it is never a region's latest scan.
 */
export async function trafficRunId(client: Client): Promise<number> {
  const read = async () => {
    const rs = await client.execute(
      "SELECT value FROM router_meta WHERE name = 'traffic_run_id'",
    );
    return rs.rows.length ? num(rs.rows[0].value) : null;
  };
  const found = await read();
  if (found !== null) return found;
  await client.batch([
    `INSERT INTO runs (started_at, finished_at, status, "trigger", total_models, error, host)
      SELECT 0, 0, 'completed', 'api', 0, 'routed traffic (not a scan)', 'scouter-router'
      WHERE NOT EXISTS (SELECT 1 FROM router_meta WHERE name = 'traffic_run_id')`,
    `INSERT OR IGNORE INTO router_meta (name, value)
      SELECT 'traffic_run_id', MAX(id) FROM runs WHERE host = 'scouter-router' AND started_at = 0
      HAVING MAX(id) IS NOT NULL`,
  ], "write");
  const id = await read();
  if (id === null) throw new Error("could not create the traffic run");
  return id;
}

/**
 * Stores routed attempts as checks with source 'traffic', with their rollups and latest state,
 * in one transaction (the router writes them in batches: one write per request would cost the
 * request's own latency on a local file). Their answer is never kept. The same statement as
 * checks.ts `insertCheck` (checkInsertStatement), with `source` 'traffic'.
 */
export async function insertTrafficChecks(
  client: Client,
  runId: number,
  checks: readonly CheckResult[],
): Promise<void> {
  if (checks.length === 0) return;
  const statements: InStatement[] = [];
  for (const c of checks) {
    // An unknown fault is stored as none rather than losing the batch (a probe's is refused).
    const check = { ...c, answer: null, fault: faultOf(c) };
    statements.push(
      checkInsertStatement(runId, check, "traffic"),
      ...checkRollupStatements(check),
    );
  }
  await client.batch(statements, "write");
}

export interface ProbeOutcome {
  id: number;
  model_id: string;
  status: CheckStatus;
  checked_at: number;
}

/** Measured probe checks after check id `afterId`, oldest first (skipped ones left out). */
export async function probeOutcomesSince(
  client: Client,
  afterId: number,
  limit = 5_000,
): Promise<ProbeOutcome[]> {
  const rs = await client.execute({
    sql: `SELECT id, model_id, status, checked_at FROM checks
      WHERE id > ? AND source = 'probe' AND status != 'skipped' ORDER BY id LIMIT ?`,
    args: [afterId, limit],
  });
  return rs.rows.map((r) => ({
    id: num(r.id),
    model_id: str(r.model_id),
    status: str(r.status) as CheckStatus,
    checked_at: num(r.checked_at),
  }));
}

/** The highest check id stored (0 when none): where a new process starts following probes. */
export async function lastCheckId(client: Client): Promise<number> {
  const rs = await client.execute("SELECT COALESCE(MAX(id), 0) AS id FROM checks");
  return num(rs.rows[0].id);
}

/** Who was at fault, when the check names a known party (an ok check: null). */
function faultOf(c: CheckResult): Fault | null {
  return c.status !== "ok" && c.fault && (FAULTS as readonly string[]).includes(c.fault)
    ? c.fault
    : null;
}

/** The router's request-level counters of one UTC hour (table router_hours, migration 11). */
export interface RouterHourCounts {
  requests: number;
  answered: number;
  failovers: number;
  account_limit_waits: number;
  account_limit_refusals: number;
}

export const ROUTER_HOUR_FIELDS = [
  "requests",
  "answered",
  "failovers",
  "account_limit_waits",
  "account_limit_refusals",
] as const satisfies readonly (keyof RouterHourCounts)[];

export const HOUR_MS = 3_600_000;

/**
 * Adds `delta` to the counters of the UTC hour that holds `at`. Checks only know attempts: how
 * many requests there were, and how many failed over, is kept here, hour by hour.
 */
export async function addRouterHour(
  client: Client,
  at: number,
  delta: RouterHourCounts,
): Promise<void> {
  const hour = Math.floor(at / HOUR_MS) * HOUR_MS;
  const values = ROUTER_HOUR_FIELDS.map((f) => Math.max(0, Math.trunc(delta[f])));
  await client.execute({
    sql: `INSERT INTO router_hours (hour, ${ROUTER_HOUR_FIELDS.join(", ")})
      VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (hour) DO UPDATE SET ${
      ROUTER_HOUR_FIELDS.map((f) => `${f} = ${f} + excluded.${f}`).join(", ")
    }`,
    args: [hour, ...values],
  });
}

/** Stored hours in [from, to), oldest first (hours without traffic have no row). */
export async function routerHours(
  client: Client,
  from: number,
  to: number,
): Promise<(RouterHourCounts & { hour: number })[]> {
  const rs = await client.execute({
    sql: `SELECT hour, ${ROUTER_HOUR_FIELDS.join(", ")} FROM router_hours
      WHERE hour >= ? AND hour < ? ORDER BY hour`,
    args: [from, to],
  });
  return rs.rows.map((r) => ({
    hour: num(r.hour),
    requests: num(r.requests),
    answered: num(r.answered),
    failovers: num(r.failovers),
    account_limit_waits: num(r.account_limit_waits),
    account_limit_refusals: num(r.account_limit_refusals),
  }));
}

/** A model routed traffic measured recently: its newest telling traffic check. */
export interface TrafficMeasurement {
  model_id: string;
  /** When that check started (epoch ms). */
  checked_at: number;
  status: CheckStatus;
}

/**
 * Models with a traffic check since `since` (epoch ms) that says something about the model: an
 * ok answer, or a failure blamed on the model, its upstream or the shared free capacity (one
 * blamed on the account or on OpenRouter tells nothing of the model). The newest such check per
 * model, by id. The scan does not probe these (lib/scan/traffic_measured.ts).
 */
export async function recentTrafficMeasurements(
  client: Client,
  since: number,
): Promise<TrafficMeasurement[]> {
  const rs = await client.execute({
    // One pass over the window (the partial index of traffic checks by time), newest per model.
    sql: `SELECT model_id, checked_at AS at, status FROM (
        SELECT model_id, checked_at, status, ROW_NUMBER() OVER (
          PARTITION BY model_id ORDER BY checked_at DESC, id DESC) AS n
        FROM checks
        WHERE source = 'traffic' AND checked_at >= ?
          AND (status = 'ok' OR fault IN ('model', 'upstream', 'shared_capacity')))
      WHERE n = 1 ORDER BY model_id`,
    args: [since],
  });
  return rs.rows.map((r) => ({
    model_id: str(r.model_id),
    checked_at: num(r.at),
    status: str(r.status) as CheckStatus,
  }));
}
