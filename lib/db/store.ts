/** The Store: every write and basic read Scouter makes, bound to one libSQL client. */
import type { Client } from "@libsql/client";
import type { CatalogModel } from "../openrouter/types.ts";
import type { CheckResult, Fault } from "../domain/check.ts";
import * as bulk from "./bulk.ts";
import type { BulkReport, BulkRun } from "./bulk.ts";
import * as catalog from "./catalog.ts";
import type { CatalogDiff, CatalogEventRow, ModelRow } from "./catalog.ts";
import * as checks from "./checks.ts";
import type { CheckQuery, CheckRow } from "./checks.ts";
import * as leases from "./leases.ts";
import type { LeaseRow } from "./leases.ts";
import * as retention from "./retention.ts";
import type { PruneOptions, PruneReport } from "./retention.ts";
import * as runs from "./runs.ts";
import * as capabilities from "./capabilities.ts";
import type {
  CapabilityCandidate,
  CapabilityCheckInput,
  ModelCapabilities,
  RecordedCapabilityCheck,
} from "./capabilities.ts";
import type { NewRun, RunEnd, RunLiveness, RunRow } from "./runs.ts";

export type { BulkReport, BulkRun } from "./bulk.ts";
export type { CatalogDiff, CatalogEventKind, CatalogEventRow, ModelRow } from "./catalog.ts";
export type { PruneOptions, PruneReport } from "./retention.ts";
export type { CheckQuery, CheckRow } from "./checks.ts";
export type { LeaseRow } from "./leases.ts";
export type { NewRun, RunEnd, RunLiveness, RunRow } from "./runs.ts";
export type {
  CapabilityCandidate,
  CapabilityCheckInput,
  CapabilityVerdictRow,
  ModelCapabilities,
  RecordedCapabilityCheck,
} from "./capabilities.ts";

export interface Store {
  /**
   * The underlying client, for read models. On a local file it has a single connection (so that
   * the per-connection PRAGMAs hold for every statement): prefer `execute`/`batch`; an open
   * `transaction()` holds that connection and other calls fail until it commits or rolls back.
   */
  readonly client: Client;
  close(): void;
  /** Runs still `running` whose process `isAlive` rejects become `interrupted`; returns how many. */
  markInterruptedRuns(now: number, isAlive?: RunLiveness): Promise<number>;
  startRun(r: NewRun): Promise<number>;
  setRunTotal(runId: number, total: number): Promise<void>;
  /** Marks the run's process as alive at `at` (see lib/scan/liveness.ts). */
  heartbeat(runId: number, at: number): Promise<void>;
  /** Sets the final status and fills ok/failed/skipped counts from the run's checks. */
  finishRun(runId: number, r: RunEnd): Promise<void>;
  /** See catalog.ts `syncCatalog`: an empty list is refused and returns an empty diff. */
  syncCatalog(free: CatalogModel[], at: number, runId: number | null): Promise<CatalogDiff>;
  /** Committed (durable against a process crash) when the promise resolves. */
  insertCheck(runId: number, c: CheckResult): Promise<number>;
  /** Blames the failed checks of these models in the run on `fault` (an incident). */
  setChecksFault(runId: number, modelIds: readonly string[], fault: Fault): Promise<void>;
  /** Finished runs and their checks in one transaction, rollups included (bulk.ts). */
  writeBulk(runs: readonly BulkRun[]): Promise<BulkReport>;
  /** Raw checks of runs already written, without rollups (bulk.ts). */
  writeRawChecks(rows: readonly { runId: number; check: CheckResult }[]): Promise<void>;
  /** Deletes raw checks older than the retention window, in small batches (retention.ts). */
  pruneChecks(opts: PruneOptions): Promise<PruneReport>;
  /** Newest first. */
  listRuns(limit: number): Promise<RunRow[]>;
  getRun(id: number): Promise<RunRow | null>;
  /** When the latest run of `region` (null: untagged runs) started; null when it has none. */
  lastRunStartedAt(region: string | null): Promise<number | null>;
  /** Ordered by id. */
  listModels(opts?: { presentOnly?: boolean }): Promise<ModelRow[]>;
  getModel(id: string): Promise<ModelRow | null>;
  /** Oldest first; `from` inclusive, `to` exclusive; `limit` keeps the newest matches. */
  listChecks(opts: CheckQuery): Promise<CheckRow[]>;
  /** See leases.ts: one named lease with an expiry, shared by every process on the database. */
  acquireLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean>;
  renewLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  getLease(name: string, now: number): Promise<LeaseRow | null>;
  /** Newest first. */
  listEvents(opts: { modelId?: string; limit?: number }): Promise<CatalogEventRow[]>;
  // Verified capabilities (capabilities.ts).
  /** One attempt; a conclusive one becomes the verdict, a changed verdict a catalog event. */
  recordCapabilityCheck(row: CapabilityCheckInput): Promise<RecordedCapabilityCheck>;
  /** The latest conclusive verdicts per model (all, or those listed). */
  latestCapabilities(modelIds?: readonly string[]): Promise<Map<string, ModelCapabilities>>;
  /** The candidates with no attempt within `intervalMs` before `now`. */
  dueCapabilityChecks(
    candidates: readonly CapabilityCandidate[],
    now: number,
    intervalMs: number,
  ): Promise<CapabilityCandidate[]>;
}

/** Binds the store functions to an already opened and migrated client. */
export function createStore(client: Client): Store {
  return {
    client,
    close: () => client.close(),
    markInterruptedRuns: (now, isAlive) => runs.markInterruptedRuns(client, now, isAlive),
    startRun: (r) => runs.startRun(client, r),
    setRunTotal: (runId, total) => runs.setRunTotal(client, runId, total),
    heartbeat: (runId, at) => runs.heartbeat(client, runId, at),
    finishRun: (runId, r) => runs.finishRun(client, runId, r),
    syncCatalog: (free, at, runId) => catalog.syncCatalog(client, free, at, runId),
    insertCheck: (runId, c) => checks.insertCheck(client, runId, c),
    setChecksFault: (runId, ids, fault) => checks.setChecksFault(client, runId, ids, fault),
    writeBulk: (r) => bulk.writeBulk(client, r),
    writeRawChecks: (rows) => bulk.writeRawChecks(client, rows),
    pruneChecks: (opts) => retention.pruneChecks(client, opts),
    listRuns: (limit) => runs.listRuns(client, limit),
    getRun: (id) => runs.getRun(client, id),
    lastRunStartedAt: (region) => runs.lastRunStartedAt(client, region),
    listModels: (opts) => catalog.listModels(client, opts),
    getModel: (id) => catalog.getModel(client, id),
    listChecks: (opts) => checks.listChecks(client, opts),
    listEvents: (opts) => catalog.listEvents(client, opts),
    acquireLease: (name, holder, now, ttl) => leases.acquireLease(client, name, holder, now, ttl),
    renewLease: (name, holder, now, ttl) => leases.renewLease(client, name, holder, now, ttl),
    releaseLease: (name, holder) => leases.releaseLease(client, name, holder),
    getLease: (name, now) => leases.getLease(client, name, now),
    recordCapabilityCheck: (row) => capabilities.recordCapabilityCheck(client, row),
    latestCapabilities: (ids) => capabilities.latestCapabilities(client, ids),
    dueCapabilityChecks: (c, now, ms) => capabilities.dueCapabilityChecks(client, c, now, ms),
  };
}
