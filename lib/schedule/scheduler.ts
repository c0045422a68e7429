import type { Store } from "../db/store.ts";
import { explainStoreError } from "../db/errors.ts";
import type { Log } from "../log.ts";
import type { CheckResult, RunTrigger } from "../domain/check.ts";
import { leaseHolder, scanLeaseName, withScanLease } from "../scan/lease.ts";
import { runIsAlive } from "../scan/liveness.ts";
import {
  type OpenRouterPort,
  runScan,
  type ScanOutcome,
  type ScanProgress,
  type ScanSettings,
} from "../scan/scan.ts";
import { systemClock } from "../scan/clock.ts";
import { createPacer, type Pacer } from "../scan/pacer.ts";
import type { ScanControl, ScannerStatus, ScanRequestResult } from "../scan/status.ts";
import type { SpreadTurn } from "../planner/service.ts";
import { describeTiming, nextCronRun, type Timing } from "../config/timing.ts";

/** The signature of Deno.cron with options; tests pass their own to fire ticks by hand. */
export type CronRegister = (
  name: string,
  schedule: string,
  options: { backoffSchedule?: number[]; signal?: AbortSignal },
  handler: () => Promise<void>,
) => Promise<void>;

export interface SchedulerOptions {
  store: Store;
  /** null when there is no API key: the server serves what is stored and never scans. */
  openrouter: OpenRouterPort | null;
  settings: ScanSettings;
  timing: Timing;
  scanOnStart: boolean;
  log: Log;
  cron?: CronRegister;
  now?: () => number;
  /** Called after every scan this process ran (the dashboard's live refresh, alerts later). */
  onScanEnd?: (outcome: ScanOutcome) => void;
  /** The chat request pacer of every scan of this scheduler; by default one from the settings. */
  pacer?: Pacer;
  /** After each scan, raw checks older than this many days are pruned (lib/db/retention.ts). */
  retentionDays?: number;
  /**
   * OPENROUTER_SCOUT_SPREAD_CHECKS: instead of a full scan per interval, every minute's tick
   * checks the models of the plan's current slot (lib/planner/spread.ts), once per slot.
   */
  spread?: { turn(): Promise<SpreadTurn> } | null;
}

export interface Scheduler extends ScanControl {
  /** Registers the cron job and, if asked, starts the first scan. */
  start(): Promise<void>;
  /** Stops the schedule and the running scan (unchecked models → `skipped`, run `aborted`). */
  stop(): Promise<void>;
  /** Resolves when no scan of this process is running. */
  idle(): Promise<void>;
}

interface CurrentScan {
  runId: number | null;
  startedAt: number;
  progress: ScanProgress | null;
  controller: AbortController;
  done: Promise<void>;
}

export const DISABLED_REASON =
  "Scanning is off: OPENROUTER_API_KEY is not set. Put it in .env (or the environment) and " +
  "restart; the dashboard shows what is already stored.";

/**
 * The server's scanner: scans at start, then on a schedule, never two at once — not in this
 * process, and not across processes sharing the database (the scan lease).
 *
 * With an interval, Deno.cron ticks every minute and a scan starts once the interval has
 * passed since the last scan started, whichever process ran it (so a restart does not rescan
 * early). With OPENROUTER_SCOUT_CRON, Deno.cron fires on that expression. The handler never
 * throws and no backoff is set: Deno.cron retries a failed handler, and a failed scan must not
 * silently run again.
 */
export function createScheduler(opts: SchedulerOptions): Scheduler {
  const now = opts.now ?? (() => Date.now());
  const cron: CronRegister = opts.cron ??
    ((name, schedule, options, handler) => Deno.cron(name, schedule, options, handler));
  const holder = leaseHolder();
  // Per region: scanners of several regions share the database, one scan at a time in each.
  const region = opts.settings.region ?? null;
  const lease = scanLeaseName(region);
  const stopping = new AbortController();
  const startedAt = now();
  let current: CurrentScan | null = null;
  // One for all scans: a scan right after another (POST /api/scan, a cron tick) continues the
  // last minute's count instead of sending up to another `rpm` requests at once.
  const pacer = opts.pacer ?? createPacer({
    rpm: opts.settings.rpm,
    delayMs: opts.settings.requestDelaySeconds * 1000,
    clock: systemClock,
  });
  let cronRegistered: Promise<void> | null = null;
  /**
   * The scan on start found the lease held (e.g. by the process this one replaced, killed with
   * its scan unfinished, whose lease lives on for SCAN_LEASE_TTL_MS): the next ticks start it
   * once the lease is free, unless another process completed a scan in the meantime.
   */
  let startPending = false;

  /** Closes runs whose process died (crash, kill -9), here or in another process. */
  async function closeAbandonedRuns(): Promise<void> {
    const closed = await opts.store.markInterruptedRuns(
      now(),
      (run, last) => run.id === current?.runId || runIsAlive(run, last, now()),
    );
    if (closed > 0) opts.log(`marked ${closed} abandoned run(s) as interrupted`);
  }

  /** The spread plan's last slot that started its scan. */
  let spreadSlot: number | null = null;
  let spreadSlotMs = 0;

  /** Spread mode: the current slot's models, unless that slot already started its scan. */
  async function spreadTick(spread: { turn(): Promise<SpreadTurn> }): Promise<void> {
    const turn = await spread.turn();
    spreadSlotMs = turn.slotMs;
    if (turn.slot === spreadSlot || turn.modelIds.length === 0) return;
    if (await launch("schedule", turn.modelIds) === "started") spreadSlot = turn.slot;
  }

  /** Starts a scan unless one runs here or elsewhere; returns at once. */
  async function launch(
    trigger: RunTrigger,
    onlyModelIds: readonly string[] | null = null,
  ): Promise<ScanRequestResult> {
    if (!opts.openrouter) return "disabled";
    if (current || stopping.signal.aborted) return "busy";
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
      if (await heldElsewhere || stopping.signal.aborted) {
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
              pacer,
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
          `scan ${o.run_id} ${o.status}: ${summary(o.results)}${o.error ? ` — ${o.error}` : ""}`,
        );
        opts.onScanEnd?.(o);
        if (opts.retentionDays) {
          const p = await opts.store.pruneChecks({
            retentionDays: opts.retentionDays,
            now: now(),
            signal: stopping.signal,
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

  /** The start time of this region's latest run, whichever process ran it; null if none. */
  async function lastRunStart(): Promise<number | null> {
    return await opts.store.lastRunStartedAt(region);
  }

  async function nextScanAt(): Promise<number | null> {
    if (!opts.openrouter) return null;
    if (opts.spread && spreadSlotMs > 0) {
      return (Math.floor(now() / spreadSlotMs) + 1) * spreadSlotMs;
    }
    if (opts.timing.kind === "cron") return nextCronRun(opts.timing.expression, now());
    const last = await lastRunStart();
    const base = last ?? (opts.scanOnStart ? now() : startedAt);
    return Math.max(base + opts.timing.everyMs, now());
  }

  async function tick(): Promise<void> {
    try {
      await closeAbandonedRuns();
      if (opts.spread) return await spreadTick(opts.spread);
      if (startPending && await pendingStartDue()) {
        if (await launch("schedule") !== "busy") startPending = false;
        return;
      }
      if (opts.timing.kind === "interval") {
        const due = await nextScanAt();
        if (due === null || due > now()) return;
      }
      await launch("schedule");
    } catch (err) {
      opts.log(`scheduled scan not started: ${explainStoreError(err)}`);
    }
  }

  /** Whether the pending scan on start should run now; clears it if another process scanned. */
  async function pendingStartDue(): Promise<boolean> {
    const last = (await opts.store.listRuns(20)).find((r) => r.region === region);
    if (last?.status === "running") return false;
    if (
      last && last.started_at >= startedAt &&
      (last.status === "completed" || last.status === "quota_exhausted")
    ) {
      startPending = false;
      return false;
    }
    return true;
  }

  return {
    async start() {
      if (!opts.openrouter) {
        opts.log(DISABLED_REASON);
        return;
      }
      const schedule = opts.timing.kind === "cron" && !opts.spread
        ? opts.timing.expression
        : "* * * * *";
      cronRegistered = cron("scouter-scan", schedule, {
        backoffSchedule: [],
        signal: stopping.signal,
      }, async () => {
        await tick();
        // The job lasts as long as the scan it started: on Deno Deploy an instance may be
        // stopped once no handler is running, and Deno.cron skips ticks while one is.
        await current?.done;
      });
      opts.log(
        `scanning ${describeTiming(opts.timing)}${opts.spread ? ", spread over the day" : ""}`,
      );
      if (opts.spread) {
        if (opts.scanOnStart) await spreadTick(opts.spread);
      } else if (opts.scanOnStart && await launch("schedule") === "busy") {
        startPending = true;
        opts.log("another scan holds the database: the scan on start waits for it to end");
      }
    },
    async stop() {
      stopping.abort();
      const scan = current;
      if (scan) {
        opts.log("stopping the running scan");
        scan.controller.abort();
        await scan.done;
      }
      await cronRegistered?.catch(() => {});
    },
    async idle() {
      while (current) await current.done;
    },
    requestScan: () => launch("api"),
    async status(): Promise<ScannerStatus> {
      const enabled = opts.openrouter !== null;
      const next = await nextScanAt();
      return {
        enabled,
        disabled_reason: enabled ? null : DISABLED_REASON,
        schedule: enabled ? describeTiming(opts.timing) : null,
        running: current
          ? {
            run_id: current.runId,
            started_at: new Date(current.startedAt).toISOString(),
            progress: current.progress,
          }
          : await runningElsewhere(opts.store, now(), lease, region),
        next_scan_at: next === null ? null : new Date(next).toISOString(),
      };
    },
  };
}

/** A live scan of another process on this database, with its progress read from its checks. */
async function runningElsewhere(
  store: Store,
  now: number,
  lease: string,
  region: string | null,
): Promise<ScannerStatus["running"]> {
  if (!await store.getLease(lease, now)) return null;
  const [run] = (await store.listRuns(5)).filter((r) =>
    r.status === "running" && r.region === region
  );
  if (!run) return null;
  const checks = await store.listChecks({ runId: run.id });
  const ok = checks.filter((c) => c.status === "ok").length;
  const skipped = checks.filter((c) => c.status === "skipped").length;
  return {
    run_id: run.id,
    started_at: new Date(run.started_at).toISOString(),
    progress: {
      done: checks.length,
      total: run.total_models ?? checks.length,
      ok,
      failed: checks.length - ok - skipped,
      skipped,
      startedAt: run.started_at,
    },
  };
}

function summary(results: CheckResult[]): string {
  const ok = results.filter((r) => r.status === "ok").length;
  return `${ok}/${results.length} ok`;
}
