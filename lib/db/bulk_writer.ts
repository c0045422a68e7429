/**
 * Writing a long history in bulk (the legacy import, the demo): runs go to bulk.ts `writeBulk` a
 * few thousand checks at a time. Checks older than the retention window are only rolled up —
 * storing them raw would only have them pruned — except the few that their models' latest state
 * still needs (the newest 24 measured ones and those since the newest ok one), kept here and
 * stored raw at the end. Raw checks before the window are then marked as gone (retention.ts), so
 * that ranges read those hours from the rollups.
 */
import type { CheckResult } from "../domain/check.ts";
import type { BulkReport, BulkRun } from "./bulk.ts";
import { markRawGoneBefore } from "./retention.ts";
import { STATE_SPARKLINE } from "./rollups.ts";
import type { Store } from "./store.ts";

export interface BulkWriterOptions {
  /** Checks before this time are only rolled up; null stores every check raw. */
  rawFrom: number | null;
  /** Checks per transaction (default 5000). */
  chunkChecks?: number;
  /** After each transaction, with the runs it wrote. */
  onWritten?: (report: BulkReport, runs: readonly BulkRun[]) => void;
}

export interface BulkWriter {
  add(run: BulkRun): Promise<void>;
  /** Writes what is pending, then the checks the latest state needs; call once, at the end. */
  finish(): Promise<void>;
}

/** A written run's id, once known: kept checks point here, not at their run and its checks. */
interface RunHandle {
  id: number | null;
}

interface Kept {
  check: CheckResult;
  run: RunHandle;
}

export function bulkWriter(store: Store, opts: BulkWriterOptions): BulkWriter {
  const chunk = opts.chunkChecks ?? 5_000;
  let pending: { run: BulkRun; handle: RunHandle | null }[] = [];
  let pendingChecks = 0;
  // Per model, the rolled-up-only checks its latest state may still need.
  const kept = new Map<string, Kept[]>();

  const flush = async () => {
    if (pending.length === 0) return;
    const written = pending;
    pending = [];
    pendingChecks = 0;
    const runs = written.map((p) => p.run);
    const report = await store.writeBulk(runs);
    written.forEach((p, i) => {
      if (p.handle) p.handle.id = report.runIds[i];
    });
    opts.onWritten?.(report, runs);
  };

  const keep = (check: CheckResult, run: RunHandle) => {
    let list = kept.get(check.model_id);
    if (!list) kept.set(check.model_id, list = []);
    list.push({ check, run });
    if (list.length > 4 * STATE_SPARKLINE) trim(list);
  };

  return {
    async add(run) {
      const last = Math.max(...run.checks.map((c) => c.checked_at), run.started_at);
      const raw = opts.rawFrom === null || last >= opts.rawFrom;
      const r: BulkRun = { ...run, raw };
      // Only the few checks a model's latest state may need outlive the flush, not the run.
      const handle = raw ? null : { id: null };
      if (handle) { for (const c of run.checks) keep(c, handle); }
      pending.push({ run: r, handle });
      pendingChecks += run.checks.length;
      if (pendingChecks >= chunk) await flush();
    },
    async finish() {
      await flush();
      let rows: { runId: number; check: CheckResult }[] = [];
      for (const list of kept.values()) {
        trim(list);
        for (const k of list) rows.push({ runId: k.run.id!, check: k.check });
        if (rows.length >= chunk) {
          await store.writeRawChecks(rows);
          rows = [];
        }
      }
      await store.writeRawChecks(rows);
      kept.clear();
      if (opts.rawFrom !== null) await markRawGoneBefore(store.client, opts.rawFrom);
    },
  };
}

/**
 * Keeps, in time order, the checks from the newest ok one, or the newest STATE_SPARKLINE
 * measured ones if they reach further back, to the end (all of them when none is ok).
 */
function trim(list: Kept[]): void {
  list.sort((a, b) => a.check.checked_at - b.check.checked_at);
  let ok = -1;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i].check.status === "ok") {
      ok = i;
      break;
    }
  }
  if (ok <= 0) return;
  let measured = 0;
  let spark = 0;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i].check.status !== "skipped" && ++measured === STATE_SPARKLINE) {
      spark = i;
      break;
    }
  }
  list.splice(0, Math.min(ok, spark));
}
