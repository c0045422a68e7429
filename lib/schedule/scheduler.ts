import type { Store } from "../db/store.ts";
import type { Log } from "../log.ts";
import type { CheckResult, RunTrigger } from "../scan/check.ts";
import { leaseHolder, SCAN_LEASE, withScanLease } from "../scan/lease.ts";
import { runIsAlive } from "../scan/liveness.ts";
import {
  type OpenRouterPort,
  runScan,
  type ScanOutcome,
  type ScanProgress,
  type ScanSettings,
} from "../scan/scan.ts";
import { systemClock } from "../scan/clock.ts";
import type { ScanControl, ScannerStatus, ScanRequestResult } from "../web/deps.ts";
import { describeTiming, nextCronRun, type Timing } from "./timing.ts";

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
  const stopping = new AbortController();
  const startedAt = now();
  let current: CurrentScan | null = null;
  let cronRegistered: Promise<void> | null = null;

  /** Starts a scan unless one runs here or elsewhere; returns at once. */
  async function launch(trigger: RunTrigger): Promise<ScanRequestResult> {
    if (!opts.openrouter) return "disabled";
    if (current || stopping.signal.aborted) return "busy";
    if (await opts.store.getLease(SCAN_LEASE, now())) return "busy";
    const openrouter = opts.openrouter;
    const controller = new AbortController();
    const scan: CurrentScan = {
      runId: null,
      startedAt: now(),
      progress: null,
      controller,
      done: Promise.resolve(),
    };
    current = scan;
    scan.done = (async () => {
      try {
        const leased = await withScanLease(opts.store, holder, () =>
          runScan(opts.settings, {
            openrouter,
            store: opts.store,
            clock: systemClock,
            log: opts.log,
            signal: controller.signal,
            trigger,
            onStart: (runId) => scan.runId = runId,
            onProgress: (p) => scan.progress = p,
          }), opts.log);
        if (!leased.acquired) {
          opts.log(`scan not started: another process is scanning (${leased.heldBy?.holder})`);
          return;
        }
        const o = leased.value;
        opts.log(
          `scan ${o.run_id} ${o.status}: ${summary(o.results)}${o.error ? ` — ${o.error}` : ""}`,
        );
        opts.onScanEnd?.(o);
      } catch (err) {
        opts.log(`scan failed: ${(err as Error).message}`);
      } finally {
        current = null;
      }
    })();
    return "started";
  }

  /** The start time of the latest run of any process, or null on a fresh database. */
  async function lastRunStart(): Promise<number | null> {
    const [last] = await opts.store.listRuns(1);
    return last?.started_at ?? null;
  }

  async function nextScanAt(): Promise<number | null> {
    if (!opts.openrouter) return null;
    if (opts.timing.kind === "cron") return nextCronRun(opts.timing.expression, now());
    const last = await lastRunStart();
    const base = last ?? (opts.scanOnStart ? now() : startedAt);
    return Math.max(base + opts.timing.everyMs, now());
  }

  async function tick(): Promise<void> {
    try {
      // Close runs whose process died (crash, kill -9), here or in another process.
      const closed = await opts.store.markInterruptedRuns(
        now(),
        (run, last) => run.id === current?.runId || runIsAlive(run, last, now()),
      );
      if (closed > 0) opts.log(`marked ${closed} abandoned run(s) as interrupted`);
      if (opts.timing.kind === "interval") {
        const due = await nextScanAt();
        if (due === null || due > now()) return;
      }
      await launch("schedule");
    } catch (err) {
      opts.log(`scheduled scan not started: ${(err as Error).message}`);
    }
  }

  return {
    async start() {
      if (!opts.openrouter) {
        opts.log(DISABLED_REASON);
        return;
      }
      const schedule = opts.timing.kind === "cron" ? opts.timing.expression : "* * * * *";
      cronRegistered = cron("scouter-scan", schedule, {
        backoffSchedule: [],
        signal: stopping.signal,
      }, tick);
      opts.log(`scanning ${describeTiming(opts.timing)}`);
      if (opts.scanOnStart) await launch("schedule");
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
          : await runningElsewhere(opts.store, now()),
        next_scan_at: next === null ? null : new Date(next).toISOString(),
      };
    },
  };
}

/** A live scan of another process on this database, with its progress read from its checks. */
async function runningElsewhere(store: Store, now: number): Promise<ScannerStatus["running"]> {
  if (!await store.getLease(SCAN_LEASE, now)) return null;
  const [run] = (await store.listRuns(5)).filter((r) => r.status === "running");
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
