/**
 * The server's scanner: scans at start, then on a schedule, never two at once — not in this
 * process, and not across processes sharing the database (the scan lease; runner.ts).
 */
import type { Store } from "../db/store.ts";
import { explainStoreError } from "../db/errors.ts";
import type { Log } from "../log.ts";
import { scanLeaseName } from "../scan/lease.ts";
import type { OpenRouterPort, ScanOutcome, ScanSettings } from "../scan/scan.ts";
import { systemClock } from "../scan/clock.ts";
import { createPacer, type Pacer } from "../scan/pacer.ts";
import type { ScanControl, ScannerStatus } from "../scan/status.ts";
import type { SpreadTurn } from "../planner/service.ts";
import { describeTiming, type Timing } from "../config/timing.ts";
import { type CronRegister, denoCron } from "./cron.ts";
import { nextScanAt, pendingStart } from "./due.ts";
import { createDeadRunWatch, type Timers } from "./dead_run_watch.ts";
import { createScanRunner } from "./runner.ts";
import { DISABLED_REASON, runningElsewhere, runningView } from "./status_view.ts";

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
  /** The dead-run watch's timers (dead_run_watch.ts); tests drive their own. */
  timers?: Timers;
}

export interface Scheduler extends ScanControl {
  /** Registers the cron job and, if asked, starts the first scan. */
  start(): Promise<void>;
  /** Stops the schedule and the running scan (unchecked models → `skipped`, run `aborted`). */
  stop(): Promise<void>;
  /** Resolves when no scan of this process is running. */
  idle(): Promise<void>;
}

/**
 * With an interval, Deno.cron ticks every minute and a scan starts once the interval has
 * passed since the last scan started, whichever process ran it (so a restart does not rescan
 * early). With OPENROUTER_SCOUT_CRON, Deno.cron fires on that expression. The handler never
 * throws and no backoff is set: Deno.cron retries a failed handler, and a failed scan must not
 * silently run again.
 */
export function createScheduler(opts: SchedulerOptions): Scheduler {
  const now = opts.now ?? (() => Date.now());
  const cron = opts.cron ?? denoCron;
  // Per region: scanners of several regions share the database, one scan at a time in each.
  const region = opts.settings.region ?? null;
  const lease = scanLeaseName(region);
  const stopping = new AbortController();
  const startedAt = now();
  const runner = createScanRunner({
    store: opts.store,
    openrouter: opts.openrouter,
    settings: opts.settings,
    lease,
    // One for all scans: a scan right after another (POST /api/scan, a cron tick) continues
    // the last minute's count instead of sending up to another `rpm` requests at once.
    pacer: opts.pacer ?? createPacer({
      rpm: opts.settings.rpm,
      delayMs: opts.settings.requestDelaySeconds * 1000,
      clock: systemClock,
    }),
    log: opts.log,
    now,
    stopping: stopping.signal,
    onScanEnd: opts.onScanEnd,
    retentionDays: opts.retentionDays,
  });
  const deadRuns = createDeadRunWatch({
    store: opts.store,
    now,
    timers: opts.timers,
    sweep: () => runner.closeAbandonedRuns(),
    ownRunId: () => runner.current()?.runId ?? null,
    log: opts.log,
  });
  let cronRegistered: Promise<void> | null = null;
  /**
   * The scan on start found the lease held (e.g. by the process this one replaced, killed with
   * its scan unfinished, whose lease lives on for SCAN_LEASE_TTL_MS): the next ticks start it
   * once the lease is free, unless another process completed a scan in the meantime.
   */
  let startPending = false;

  /** The spread plan's last slot that started its scan. */
  let spreadSlot: number | null = null;
  let spreadSlotMs = 0;

  /** Spread mode: the current slot's models, unless that slot already started its scan. */
  async function spreadTick(spread: { turn(): Promise<SpreadTurn> }): Promise<void> {
    const turn = await spread.turn();
    spreadSlotMs = turn.slotMs;
    if (turn.slot === spreadSlot || turn.modelIds.length === 0) return;
    if (await runner.launch("schedule", turn.modelIds) === "started") spreadSlot = turn.slot;
  }

  async function nextScan(): Promise<number | null> {
    if (!opts.openrouter) return null;
    const needsLast = opts.timing.kind === "interval" && !(opts.spread && spreadSlotMs > 0);
    return nextScanAt({
      timing: opts.timing,
      now: now(),
      lastRunStart: needsLast ? await opts.store.lastRunStartedAt(region) : null,
      scanOnStart: opts.scanOnStart,
      startedAt,
      spreadSlotMs: opts.spread ? spreadSlotMs : 0,
    });
  }

  /** Whether the pending scan on start should run now; clears it if another process scanned. */
  async function pendingStartDue(): Promise<boolean> {
    const last = (await opts.store.listRuns(20)).find((r) => r.region === region);
    const verdict = pendingStart(last, startedAt);
    if (verdict === "drop") startPending = false;
    return verdict === "run";
  }

  async function tick(): Promise<void> {
    try {
      await runner.closeAbandonedRuns();
      await deadRuns.arm();
      if (opts.spread) return await spreadTick(opts.spread);
      if (startPending && await pendingStartDue()) {
        if (await runner.launch("schedule") !== "busy") startPending = false;
        return;
      }
      if (opts.timing.kind === "interval") {
        const due = await nextScan();
        if (due === null || due > now()) return;
      }
      await runner.launch("schedule");
    } catch (err) {
      opts.log(`scheduled scan not started: ${explainStoreError(err)}`);
    }
  }

  return {
    async start() {
      // Also with scanning off: the runs another process left `running` end on time.
      await deadRuns.arm().catch((err) => opts.log(`dead-run check: ${explainStoreError(err)}`));
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
        await runner.current()?.done;
      });
      opts.log(
        `scanning ${describeTiming(opts.timing)}${opts.spread ? ", spread over the day" : ""}`,
      );
      if (opts.spread) {
        if (opts.scanOnStart) await spreadTick(opts.spread);
      } else if (opts.scanOnStart && await runner.launch("schedule") === "busy") {
        startPending = true;
        opts.log("another scan holds the database: the scan on start waits for it to end");
      }
    },
    async stop() {
      stopping.abort();
      deadRuns.stop();
      const scan = runner.current();
      if (scan) {
        opts.log("stopping the running scan");
        scan.controller.abort();
        await scan.done;
      }
      await cronRegistered?.catch(() => {});
    },
    async idle() {
      for (let scan = runner.current(); scan; scan = runner.current()) await scan.done;
    },
    requestScan: () => runner.launch("api"),
    async status(): Promise<ScannerStatus> {
      const enabled = opts.openrouter !== null;
      const next = await nextScan();
      const local = runner.current();
      return {
        enabled,
        disabled_reason: enabled ? null : DISABLED_REASON,
        schedule: enabled ? describeTiming(opts.timing) : null,
        running: local
          ? runningView(local)
          : await runningElsewhere(opts.store, now(), lease, region),
        next_scan_at: next === null ? null : new Date(next).toISOString(),
      };
    },
  };
}
