/**
 * Not measured is not down. Checks blamed on OpenRouter itself (`checks.fault = 'openrouter'`:
 * an incident across a scan, a bare 500, nothing answering at all) say nothing about the model,
 * so like `skipped` ones they are left out of uptime and failure counts. The rollups count them
 * as failures (the blame of an incident comes after the run's checks were rolled up), so the
 * read models take them out again from the raw checks (migration 8 indexes them): past the
 * raw checks' retention they stay the failures the rollups hold.
 */
import type { Store } from "../db/store.ts";
import { FAILURE_STATUSES } from "../db/rollups.ts";
import type { Totals } from "./rollup_totals.ts";
import type { FailureStatus, NotMeasuredReason } from "./types.ts";

/** Why a stretch of time has no uptime: what the tooltips say. */
export const NOT_MEASURED: Record<NotMeasuredReason, string> = {
  openrouter: "OpenRouter incident",
  quota: "not measured: daily quota used up",
  no_scan: "not measured: no scan ran",
};

/** A failed check blamed on OpenRouter. */
export interface FaultRow {
  model_id: string;
  status: FailureStatus;
  checked_at: number;
}

const FAILED = new Set<string>(FAILURE_STATUSES);

/** The failed checks blamed on OpenRouter in [from, to), of one model or of every model. */
export async function openRouterFaults(
  store: Store,
  from: number,
  to: number,
  modelId: string | null = null,
): Promise<FaultRow[]> {
  const rs = await store.client.execute({
    sql: `SELECT model_id, status, checked_at FROM checks
      WHERE fault = 'openrouter' AND checked_at >= ? AND checked_at < ?
        ${modelId === null ? "" : "AND model_id = ?"}`,
    args: modelId === null ? [from, to] : [from, to, modelId],
  });
  const out: FaultRow[] = [];
  for (const r of rs.rows) {
    const status = String(r.status);
    if (!FAILED.has(status)) continue;
    out.push({
      model_id: String(r.model_id),
      status: status as FailureStatus,
      checked_at: Number(r.checked_at),
    });
  }
  return out;
}

/** `t` without the checks of `faults` (those of its model and window, picked by the caller). */
export function withoutFaults(t: Totals, faults: readonly FaultRow[]): Totals {
  if (faults.length === 0) return t;
  const failures = { ...t.failures };
  let removed = 0;
  for (const f of faults) {
    // Never below zero: a window read from rollups and raw checks may disagree at its edges.
    if (t.checks - removed <= t.ok) break;
    removed++;
    if (failures[f.status] > 0) failures[f.status]--;
  }
  return { ...t, checks: t.checks - removed, failures };
}

/** Faults grouped by a key (model, bucket index …). */
export function groupFaults<K>(
  faults: readonly FaultRow[],
  key: (f: FaultRow) => K,
): Map<K, FaultRow[]> {
  const out = new Map<K, FaultRow[]>();
  for (const f of faults) {
    const k = key(f);
    const list = out.get(k);
    if (list) list.push(f);
    else out.set(k, [f]);
  }
  return out;
}

/**
 * Why a bucket has nothing measured: OpenRouter's fault, checks skipped (the account's daily
 * quota, in practice: a refused key fails the whole run), or no check at all.
 */
export function notMeasuredReason(openrouter: number, skipped: number): NotMeasuredReason {
  if (openrouter > 0) return "openrouter";
  if (skipped > 0) return "quota";
  return "no_scan";
}
