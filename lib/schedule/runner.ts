/**
 * The scheduler's scan runner: starts one scan at a time in this process and, through the scan
 * lease, one at a time per region across processes; closes the runs of dead processes.
 */
import type { Store } from "../db/store.ts";
import { explainStoreError } from "../db/errors.ts";
import type { Log } from "../log.ts";
import type { CheckResult, RunTrigger } from "../domain/check.ts";
import { leaseHolder, withScanLease } from "../scan/lease.ts";
import { runIsAlive } from "../scan/liveness.ts";
import {
  type OpenRouterPort,
  runScan,
  type ScanOutcome,
  type ScanProgress,
  type ScanSettings,
} from "../scan/scan.ts";
import { systemClock } from "../scan/clock.ts";
import type { Pacer } from "../scan/pacer.ts";
import type { ScanRequestResult } from "../scan/status.ts";

export interface CurrentScan {
  runId: number | null;
  startedAt: number;
  progress: ScanProgress | null;
  controller: AbortController;
  done: Promise<void>;
}

export interface RunnerOptions {
  store: Store;
  openrouter: OpenRouterPort | null;
  settings: ScanSettings;
  /** The scan lease's name (one per region). */
  lease: string;
  pacer: Pacer;
  log: Log;
  now: () => number;
  /** Aborted when the scheduler stops: no new scan starts, pruning stops. */
  stopping: AbortSignal;
  onScanEnd?: (outcome: ScanOutcome) => void;
  retentionDays?: number;
}

export interface ScanRunner {
  /** Starts a scan unless one runs here or elsewhere; returns once it started (or did not). */
  launch(trigger: RunTrigger, onlyModelIds?: readonly string[] | null): Promise<ScanRequestResult>;
  /** The scan this process runs, if any. */
  current(): CurrentScan | null;
  /** Closes runs whose process died (crash, kill -9), here or in another process. */
  closeAbandonedRuns(): Promise<void>;
}

export function createScanRunner(opts: RunnerOptions): ScanRunner {
  const { now, lease } = opts;
  const holder = leaseHolder();
  let current: CurrentScan | null = null;

  async function closeAbandonedRuns(): Promise<void> {
    const closed = await opts.store.markInterruptedRuns(
      now(),
      (run, last) => run.id === current?.runId || runIsAlive(run, last, now()),
    );
    if (closed > 0) opts.log(`marked ${closed} abandoned run(s) as interrupted`);
  }

  async function launch(
    trigger: RunTrigger,
    onlyModelIds: readonly string[] | null = null,
  ): Promise<ScanRequestResult> {
    if (!opts.openrouter) return "disabled";
    if (current || opts.stopping.aborted) return "busy";
    const openrouter = opts.openrouter;
    const controller = new AbortController();
    const scan: CurrentScan = {
      runId: null,
      startedAt: now(),
      progress: null,
      controller,
      done: Promise.resolve(),
    };
    // Claimed before the first await: a cron tick and POST /api/scan arriving together must
    // not both pass the check above. Until the lease is read, `done` is that read.
    const heldElsewhere = opts.store.getLease(lease, now());
    scan.done = heldElsewhere.then(() => {}, () => {});
    current = scan;
    try {
      if (await heldElsewhere || opts.stopping.aborted) {
        current = null;
        return "busy";
      }
    } catch (err) {
      current = null;
      throw err;
    }
    scan.done = (async () => {
      try {
        const leased = await withScanLease(
          opts.store,
          holder,
          async () => {
            // Holding the lease, the runs of lease-holding scans that went silent are over.
            await closeAbandonedRuns();
            const settings = onlyModelIds ? { ...opts.settings, onlyModelIds } : opts.settings;
            return await runScan(settings, {
              openrouter,
              store: opts.store,
              clock: systemClock,
              pacer: opts.pacer,
              log: opts.log,
              signal: controller.signal,
              trigger,
              onStart: (runId) => scan.runId = runId,
              onProgress: (p) => scan.progress = p,
            });
          },
          opts.log,
          lease,
        );
        if (!leased.acquired) {
          opts.log(`scan not started: another process is scanning (${leased.heldBy?.holder})`);
          return;
        }
        const o = leased.value;
        opts.log(
          `scan ${o.run_id} ${o.status}: ${summary(o.results)}` +
            (o.traffic_measured.length > 0
              ? `, ${o.traffic_measured.length} measured by routed traffic (not probed)`
              : "") +
            (o.error ? ` — ${o.error}` : ""),
        );
        opts.onScanEnd?.(o);
        if (opts.retentionDays) {
          const p = await opts.store.pruneChecks({
            retentionDays: opts.retentionDays,
            now: now(),
            signal: opts.stopping,
          });
          if (p.deleted > 0) opts.log(`retention: pruned ${p.deleted} raw checks`);
        }
      } catch (err) {
        opts.log(`scan failed: ${explainStoreError(err)}`);
      } finally {
        current = null;
      }
    })();
    return "started";
  }

  return { launch, current: () => current, closeAbandonedRuns };
}

function summary(results: CheckResult[]): string {
  const ok = results.filter((r) => r.status === "ok").length;
  return `${ok}/${results.length} ok`;
}
