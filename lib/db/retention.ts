/**
 * Retention: raw checks and capability check attempts are kept OPENROUTER_SCOUT_RETENTION_DAYS
 * (rollups, the latest state, the latest capability verdicts and the router's hourly counters,
 * which the pages and the API read, are kept for good).
 *
 * Pruning never holds the database for long: it deletes in batches of PRUNE_BATCH rows, each its
 * own short transaction, and yields between them so that queued reads run (WAL readers in other
 * processes are never blocked at all). It first records up to where raw checks are gone
 * (`store_meta.raw_pruned_before`, a whole hour): a range starting there reads that hour from its
 * hourly rollup instead of from raw checks that may already be deleted.
 *
 * Space: freed pages are given back to the file system with `PRAGMA incremental_vacuum`, in
 * steps, when the database is in auto_vacuum=INCREMENTAL mode. SQLite can only enter that mode
 * with a full VACUUM; Scouter runs it once, when a prune has left a quarter of the file (and at
 * least 16 MB) free, typically the first prune after importing or keeping long history. That
 * VACUUM holds the database for its duration (about a second per 100 MB); after it, pruning only
 * uses the incremental steps. Below that threshold freed pages are simply reused by new checks,
 * so the file stops growing once the retention window is full.
 */
import type { Client } from "@libsql/client";
import { HOUR_MS } from "./rollups.ts";
import { numOrNull } from "./values.ts";

export const PRUNED_BEFORE = "raw_pruned_before";
export const DEFAULT_RETENTION_DAYS = 30;
/** Rows per DELETE statement. */
export const PRUNE_BATCH = 5_000;
/** Pages per incremental_vacuum step (4 MB of 4 KiB pages). */
const VACUUM_STEP_PAGES = 1_000;

export interface PruneOptions {
  /** Days of raw checks to keep; 0 keeps everything (nothing is pruned). */
  retentionDays: number;
  now: number;
  batchSize?: number;
  /** Pause between two batches, so that reads waiting for the connection run (default 5 ms). */
  pauseMs?: number;
  /** Give freed pages back to the file system (default true). */
  reclaim?: boolean;
  /** When the one-time VACUUM runs (default: 16 MB and a quarter of the file free). */
  switchAt?: SwitchThreshold;
  signal?: AbortSignal;
}

export interface SwitchThreshold {
  freeBytes: number;
  freeShare: number;
}

const SWITCH_AT: SwitchThreshold = { freeBytes: 16 * 1024 * 1024, freeShare: 0.25 };

export interface PruneReport {
  /** Raw checks before this time (a whole hour) are gone; null when nothing was pruned. */
  cutoff: number | null;
  /** Raw checks deleted. */
  deleted: number;
  batches: number;
  /** Capability check attempts deleted (same window; the latest verdicts are kept). */
  capabilityChecksDeleted: number;
  /** Pages given back to the file system. */
  reclaimedPages: number;
  /** The one-time VACUUM that switches the database to incremental auto-vacuum ran. */
  switchedToIncremental: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deletes the raw checks older than the retention window, then gives the space back. */
export async function pruneChecks(client: Client, opts: PruneOptions): Promise<PruneReport> {
  const report: PruneReport = {
    cutoff: null,
    deleted: 0,
    batches: 0,
    capabilityChecksDeleted: 0,
    reclaimedPages: 0,
    switchedToIncremental: false,
  };
  if (!(opts.retentionDays > 0)) return report;
  const batch = Math.max(1, Math.floor(opts.batchSize ?? PRUNE_BATCH));
  const pause = opts.pauseMs ?? 5;
  const cutoff = retentionCutoff(opts.retentionDays, opts.now)!;
  report.cutoff = cutoff;
  // The mark first: from now on, readers take the partial hours before it from the rollups.
  await markRawGoneBefore(client, cutoff);
  const checks = await deleteBefore(client, "checks", cutoff, batch, pause, opts.signal);
  report.deleted = checks.deleted;
  report.batches = checks.batches;
  if (opts.signal?.aborted) return report;
  // Capability attempts are raw too (the latest verdicts, in model_capabilities, stay).
  const attempts = await deleteBefore(
    client,
    "capability_checks",
    cutoff,
    batch,
    pause,
    opts.signal,
  );
  report.capabilityChecksDeleted = attempts.deleted;
  if (opts.signal?.aborted) return report;
  if (opts.reclaim !== false && report.deleted + attempts.deleted > 0) {
    Object.assign(
      report,
      await reclaimSpace(client, { pauseMs: pause, signal: opts.signal, switchAt: opts.switchAt }),
    );
  }
  return report;
}

/** Deletes the rows of `table` checked before `cutoff`, `batch` at a time, pausing between. */
async function deleteBefore(
  client: Client,
  table: "checks" | "capability_checks",
  cutoff: number,
  batch: number,
  pause: number,
  signal?: AbortSignal,
): Promise<{ deleted: number; batches: number }> {
  const out = { deleted: 0, batches: 0 };
  for (;;) {
    if (signal?.aborted) return out;
    const rs = await client.execute({
      sql: `DELETE FROM ${table} WHERE id IN (
        SELECT id FROM ${table} WHERE checked_at < ? ORDER BY checked_at LIMIT ?)`,
      args: [BigInt(cutoff), batch],
    });
    out.deleted += rs.rowsAffected;
    out.batches++;
    if (rs.rowsAffected < batch) return out;
    await sleep(pause);
  }
}

/**
 * Records that raw checks before `cutoff` (a whole hour) may be gone: ranges starting before it
 * read their first partial hour from its hourly rollup. Never moves back.
 */
export async function markRawGoneBefore(client: Client, cutoff: number): Promise<void> {
  await client.execute({
    sql: `INSERT INTO store_meta (name, value) VALUES (?, ?)
      ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)`,
    args: [PRUNED_BEFORE, BigInt(cutoff)],
  });
}

/** Where raw checks start with `retentionDays` kept at `now` (a whole hour); null: all kept. */
export function retentionCutoff(retentionDays: number, now: number): number | null {
  if (!(retentionDays > 0)) return null;
  return Math.floor((now - retentionDays * 86_400_000) / HOUR_MS) * HOUR_MS;
}

/** Gives free pages back (see the module's comment); best effort, never throws. */
export async function reclaimSpace(
  client: Client,
  opts: { pauseMs?: number; signal?: AbortSignal; switchAt?: SwitchThreshold } = {},
): Promise<{ reclaimedPages: number; switchedToIncremental: boolean }> {
  const out = { reclaimedPages: 0, switchedToIncremental: false };
  try {
    const pragma = async (name: string) =>
      numOrNull((await client.execute(`PRAGMA ${name}`)).rows[0]?.[0] ?? null) ?? 0;
    const [mode, free, pages, pageSize] = [
      await pragma("auto_vacuum"),
      await pragma("freelist_count"),
      await pragma("page_count"),
      await pragma("page_size"),
    ];
    const at = opts.switchAt ?? SWITCH_AT;
    const worthIt = free > 0 && free * pageSize >= at.freeBytes && free >= pages * at.freeShare;
    if (mode !== 2 && worthIt) {
      // VACUUM cannot run inside a transaction; executeMultiple runs each statement to its end.
      await client.executeMultiple("PRAGMA auto_vacuum = INCREMENTAL; VACUUM;");
      out.switchedToIncremental = true;
      out.reclaimedPages = free;
    } else if (mode === 2) {
      let left = free;
      while (left > 0 && !opts.signal?.aborted) {
        // `execute` steps a PRAGMA once (one page) and leaves it open; executeMultiple finishes it.
        await client.executeMultiple(`PRAGMA incremental_vacuum(${VACUUM_STEP_PAGES});`);
        const now = await pragma("freelist_count");
        out.reclaimedPages += left - now;
        if (now >= left) break;
        left = now;
        await sleep(opts.pauseMs ?? 5);
      }
    }
    // The WAL holds every page the deletes touched: write them back and truncate it.
    await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  } catch {
    // A remote database may refuse these PRAGMAs; the pages then stay free for reuse.
  }
  return out;
}
