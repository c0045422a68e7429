/** Checks: one row per probe of one model, written the moment it is known. */
import type { Client, InStatement, InValue, Row } from "@libsql/client";
import {
  CHECK_STATUSES,
  type CheckResult,
  type CheckStatus,
  type Fault,
  FAULTS,
  type SkipReason,
} from "../domain/check.ts";
import { StoreError } from "./errors.ts";
import { checkRollupStatements } from "./rollup_check.ts";
import { REBLAME_SETUP, reblameStatements } from "./rollups.ts";
import { clampLimit } from "./runs.ts";
import {
  bool,
  cleanText,
  cleanTextOrNull,
  intOrNull,
  msOrNull,
  num,
  numOrNull,
  realOrNull,
  str,
  strOrNull,
} from "./values.ts";

export interface CheckRow {
  id: number;
  run_id: number;
  model_id: string;
  checked_at: number;
  status: CheckStatus;
  ok: boolean;
  http_status: number | null;
  latency_ms: number | null;
  ttft_ms: number | null;
  attempts: number;
  output_tokens: number | null;
  tokens_per_second: number | null;
  provider: string | null;
  error: string | null;
  skip_reason: SkipReason | null;
  answer: string | null;
  /** Who was at fault (FAULTS); null when ok, and for checks stored before blame existed. */
  fault: Fault | null;
  /** A scan's probe, or a request routed through /v1. */
  source: CheckSource;
}

export interface CheckQuery {
  modelId?: string;
  runId?: number;
  /** Inclusive lower bound on `checked_at` (epoch ms). */
  from?: number;
  /** Exclusive upper bound on `checked_at` (epoch ms). */
  to?: number;
  /** Keep only the newest `limit` matching checks (still returned oldest first). */
  limit?: number;
}

const CHECK_COLUMNS = `id, run_id, model_id, checked_at, status, ok, http_status, latency_ms,
  ttft_ms, attempts, output_tokens, tokens_per_second, provider, error, skip_reason, answer,
  fault, source`;

export function toCheckRow(r: Row): CheckRow {
  return {
    id: num(r.id),
    run_id: num(r.run_id),
    model_id: str(r.model_id),
    checked_at: num(r.checked_at),
    // insertCheck validates status; skip_reason is typed by CheckResult.
    status: str(r.status) as CheckStatus,
    ok: bool(r.ok),
    http_status: numOrNull(r.http_status),
    latency_ms: numOrNull(r.latency_ms),
    ttft_ms: numOrNull(r.ttft_ms),
    attempts: num(r.attempts),
    output_tokens: numOrNull(r.output_tokens),
    tokens_per_second: numOrNull(r.tokens_per_second),
    provider: strOrNull(r.provider),
    error: strOrNull(r.error),
    skip_reason: strOrNull(r.skip_reason) as SkipReason | null,
    answer: strOrNull(r.answer),
    fault: faultOrNull(r.fault),
    source: r.source === "traffic" ? "traffic" : "probe",
  };
}

/** A stored fault, or null for anything else (older rows, a value from a newer version). */
export function faultOrNull(value: unknown): Fault | null {
  return typeof value === "string" && (FAULTS as readonly string[]).includes(value)
    ? value as Fault
    : null;
}

/**
 * One write transaction (one batch, one round trip): the check, and its share of the rollups and
 * of its model's latest state (./rollups.ts), so that a crash cannot leave them out of step.
 * When the promise resolves it is committed to the WAL and survives the process being killed
 * (with synchronous=NORMAL an OS crash may lose the latest commits, never corrupt the file).
 */
/**
 * A check's column values in insert order (`model_id` … `answer`: everything but `run_id`,
 * `id` and `region`), validated and with its text made safe to store.
 */
export function checkValues(c: CheckResult): InValue[] {
  if (!(CHECK_STATUSES as readonly string[]).includes(c.status)) {
    throw new StoreError(`unknown check status ${JSON.stringify(c.status)}`);
  }
  const model = cleanText(c.model_id);
  // "" is the fleet's key in the rollups: a check of it would count twice.
  if (model === "") throw new StoreError("a check must name its model");
  return [
    model,
    intOrNull(c.checked_at),
    c.status,
    c.status === "ok" ? 1 : 0,
    intOrNull(c.http_status),
    msOrNull(c.latency_ms),
    msOrNull(c.ttft_ms),
    intOrNull(c.attempts) ?? 1,
    intOrNull(c.output_tokens),
    realOrNull(c.tokens_per_second),
    cleanTextOrNull(c.provider),
    cleanTextOrNull(c.error),
    c.skip_reason,
    cleanTextOrNull(c.answer),
  ];
}

/** Who measured a check: a scan's probe, or a request routed through /v1 (lib/router). */
export type CheckSource = "probe" | "traffic";

export async function insertCheck(
  client: Client,
  runId: number,
  c: CheckResult,
  source: CheckSource = "probe",
): Promise<number> {
  const [rs] = await client.batch([
    checkInsertStatement(runId, c, source),
    ...checkRollupStatements(c),
  ], "write");
  return num(rs.rows[0].id);
}

/**
 * The INSERT of one check row, returning its id: the one statement every writer of single
 * checks uses (insertCheck here, the router's insertTrafficChecks). Validates like checkValues
 * and faultValue.
 */
export function checkInsertStatement(
  runId: number,
  c: CheckResult,
  source: CheckSource,
): InStatement {
  return {
    // A check's region is its run's: one source of truth, nothing more to pass around.
    sql: `INSERT INTO checks (run_id, model_id, checked_at, status, ok, http_status, latency_ms,
      ttft_ms, attempts, output_tokens, tokens_per_second, provider, error, skip_reason, answer,
      region, source, fault)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
        (SELECT region FROM runs WHERE id = ?), ?, ?) RETURNING id`,
    args: [runId, ...checkValues(c), runId, source, faultValue(c)],
  };
}

/** The fault stored with a check: null when ok; refused when not one of FAULTS. */
export function faultValue(c: CheckResult): Fault | null {
  if (c.status === "ok" || c.fault == null) return null;
  if (!(FAULTS as readonly string[]).includes(c.fault)) {
    throw new StoreError(`unknown fault ${JSON.stringify(c.fault)}`);
  }
  return c.fault;
}

/**
 * Re-blames failed checks of a run once the whole run is known (an OpenRouter incident: most
 * models failing alike at once). Ok checks keep no fault. In the same transaction, checks that
 * become (or stop being) OpenRouter's fault move out of (or back into) their failure column of
 * the rollups, and their models' latest state is worked out again (rollups.ts
 * `reblameStatements`): not measured is not down.
 */
export async function setChecksFault(
  client: Client,
  runId: number,
  modelIds: readonly string[],
  fault: Fault,
): Promise<void> {
  if (modelIds.length === 0) return;
  if (!(FAULTS as readonly string[]).includes(fault)) {
    throw new StoreError(`unknown fault ${JSON.stringify(fault)}`);
  }
  const toOpenRouter = fault === "openrouter";
  const models = `model_id IN (${modelIds.map(() => "?").join(", ")})`;
  await client.batch([
    ...REBLAME_SETUP,
    {
      // The failed checks whose "not measured" changes: those not yet OpenRouter's fault when
      // blaming OpenRouter, those that were when blaming someone else.
      sql: `INSERT INTO temp.reblame (id, dir)
        SELECT c.id, ? FROM checks c WHERE c.run_id = ? AND c.${models}
          AND c.status NOT IN ('ok', 'skipped')
          AND c.fault IS ${toOpenRouter ? "NOT " : ""}'openrouter'`,
      args: [toOpenRouter ? 1 : -1, runId, ...modelIds],
    },
    {
      sql: `UPDATE checks SET fault = ? WHERE run_id = ? AND status <> 'ok' AND ${models}`,
      args: [fault, runId, ...modelIds],
    },
    ...reblameStatements(),
  ], "write");
}

/** Oldest first. With `limit`, the newest `limit` matches, still in ascending order. */
export async function listChecks(client: Client, q: CheckQuery): Promise<CheckRow[]> {
  const where: string[] = [];
  const args: InValue[] = [];
  if (q.modelId !== undefined) {
    where.push("model_id = ?");
    args.push(q.modelId);
  }
  if (q.runId !== undefined) {
    where.push("run_id = ?");
    args.push(q.runId);
  }
  if (q.from !== undefined) {
    where.push("checked_at >= ?");
    args.push(q.from);
  }
  if (q.to !== undefined) {
    where.push("checked_at < ?");
    args.push(q.to);
  }
  const filter = where.length ? `WHERE ${where.join(" AND ")}` : "";
  let sql = `SELECT ${CHECK_COLUMNS} FROM checks ${filter} ORDER BY checked_at, id`;
  if (q.limit !== undefined) {
    args.push(clampLimit(q.limit));
    sql = `SELECT * FROM (SELECT ${CHECK_COLUMNS} FROM checks ${filter}
      ORDER BY checked_at DESC, id DESC LIMIT ?) ORDER BY checked_at, id`;
  }
  const rs = await client.execute({ sql, args });
  return rs.rows.map(toCheckRow);
}
