/**
 * Importing a Python scouter database into Scouter's store: every run becomes a Scouter run (its
 * checks at the run's time, converted from local time with `timeZone`), statuses mapped as
 * mapping.ts says, written in transactions of a few thousand checks with their rollups
 * (lib/db/bulk.ts).
 *
 * Idempotent: each run is recorded in `legacy_runs` under a key made of its id and its
 * `run_datetime` text, in the same transaction as its checks; runs already there are skipped, so
 * importing twice (or resuming an interrupted import) adds nothing twice. A run is written whole
 * or not at all.
 */
import { bulkWriter } from "../db/bulk_writer.ts";
import type { Store } from "../db/store.ts";
import { str } from "../db/values.ts";
import type { CheckStatus } from "../domain/check.ts";
import { type LegacyCheck, mapRun, type RateLimitPolicy } from "./mapping.ts";
import {
  legacyChecks,
  LegacyError,
  legacyRowCount,
  legacyRowsWithoutModel,
  type LegacyRun,
  legacyRuns,
  type LegacySource,
} from "./source.ts";
import { parseWallTime, wallToInstant } from "./timezone.ts";

export interface ImportOptions {
  /** The IANA zone the Python scouter's local times were written in. */
  timeZone: string;
  rateLimited: RateLimitPolicy;
  /** Checks per transaction (default 5000). */
  chunkChecks?: number;
  /**
   * Checks before this time (retention.ts `retentionCutoff`) are only rolled up, not stored
   * raw; null (the default) stores them all.
   */
  rawFrom?: number | null;
  /** Rows read from the source at a time (default 20000). */
  pageRows?: number;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  /** Rows of `healthchecks` read so far, and in all. */
  rows: number;
  totalRows: number;
  /** Runs written so far (this import), and runs to write. */
  runs: number;
  totalRuns: number;
}

export interface ImportReport {
  /** Runs imported now, runs found already imported, runs without any check. */
  runs: number;
  /** Checks only rolled up (older than the retention window). */
  rolledUpOnly: number;
  runsAlready: number;
  runsEmpty: number;
  checks: number;
  byStatus: Partial<Record<CheckStatus, number>>;
  /** 429s taken as the account's daily quota (`skipped`), see mapping.ts. */
  quotaSkipped: number;
  /** Rows of `healthchecks` that name no run or no model (left out). */
  orphanRows: number;
  /** The first and last imported run, epoch ms. */
  first: number | null;
  last: number | null;
  ms: number;
}

/** The key of a Python scouter run in `legacy_runs`. */
export function legacyKey(run: { id: number; run_datetime: string }): string {
  return `python:${run.id}:${run.run_datetime}`;
}

export async function importLegacy(
  store: Store,
  src: LegacySource,
  opts: ImportOptions,
): Promise<ImportReport> {
  const started = performance.now();
  const report: ImportReport = {
    runs: 0,
    rolledUpOnly: 0,
    runsAlready: 0,
    runsEmpty: 0,
    checks: 0,
    byStatus: {},
    quotaSkipped: 0,
    orphanRows: 0,
    first: null,
    last: null,
    ms: 0,
  };
  const runs = await legacyRuns(src);
  const times = new Map<number, number>();
  for (const r of runs) {
    const wall = parseWallTime(r.run_datetime);
    if (wall === null) {
      throw new LegacyError(
        `run ${r.id}: run_datetime ${JSON.stringify(r.run_datetime.slice(0, 40))} is not ` +
          `"YYYY-MM-DD HH:MM:SS"`,
      );
    }
    times.set(r.id, wallToInstant(wall, opts.timeZone));
  }
  const done = new Set(
    (await store.client.execute("SELECT legacy_key FROM legacy_runs")).rows.map((r) =>
      str(r.legacy_key)
    ),
  );
  const todo = new Map<number, LegacyRun>();
  for (const r of runs) {
    if (done.has(legacyKey(r))) report.runsAlready++;
    else todo.set(r.id, r);
  }
  const totalRows = await legacyRowCount(src);
  report.orphanRows = await legacyRowsWithoutModel(src);
  const progress: ImportProgress = { rows: 0, totalRows, runs: 0, totalRuns: todo.size };
  const writer = bulkWriter(store, {
    rawFrom: opts.rawFrom ?? null,
    chunkChecks: opts.chunkChecks,
    onWritten: (written, runs) => {
      progress.runs += runs.length;
      report.rolledUpOnly += runs.reduce((n, r) => n + r.checks.length, 0) - written.checks;
      opts.onProgress?.({ ...progress });
    },
  });
  const write = async (step: () => Promise<void>) => {
    try {
      await step();
    } catch (e) {
      if (/UNIQUE constraint failed: legacy_runs/i.test((e as Error).message)) {
        throw new LegacyError("another import of the same runs is writing to this database");
      }
      throw e;
    }
  };
  const complete = async (run: LegacyRun, rows: LegacyCheck[]) => {
    const at = times.get(run.id)!;
    const { checks, status, quotaSkipped } = mapRun(rows, at, opts.rateLimited);
    if (rows.length === 0) report.runsEmpty++;
    report.runs++;
    report.checks += checks.length;
    report.quotaSkipped += quotaSkipped;
    for (const c of checks) report.byStatus[c.status] = (report.byStatus[c.status] ?? 0) + 1;
    report.first = Math.min(report.first ?? at, at);
    report.last = Math.max(report.last ?? at, at);
    await write(() =>
      writer.add({
        started_at: at,
        finished_at: at,
        status: rows.length === 0 ? "failed" : status,
        trigger: "cli",
        legacy_key: legacyKey(run),
        checks,
      })
    );
  };

  // Runs without checks first; the others complete as their rows stream in (in table order,
  // which is the order the Python scouter wrote them).
  for (const r of todo.values()) if (r.rows === 0) await complete(r, []);
  const pending = new Map<number, LegacyCheck[]>();
  for (let after = 0;;) {
    const page = await legacyChecks(src, after, opts.pageRows ?? 20_000);
    if (page.length === 0) break;
    after = page[page.length - 1].rowid;
    progress.rows += page.length;
    for (const { run_id, check } of page) {
      const run = run_id === null ? undefined : todo.get(run_id);
      if (run === undefined) {
        if (run_id === null || !times.has(run_id)) report.orphanRows++;
        continue;
      }
      let rows = pending.get(run.id);
      if (!rows) pending.set(run.id, rows = []);
      rows.push(check);
      if (rows.length === run.rows) {
        pending.delete(run.id);
        await complete(run, rows);
      }
    }
    opts.onProgress?.({ ...progress });
  }
  // Rows added to the source while it was read: the runs are imported as read.
  for (const [id, rows] of pending) await complete(todo.get(id)!, rows);
  await write(() => writer.finish());
  report.ms = performance.now() - started;
  return report;
}
