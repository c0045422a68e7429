/**
 * Closes a dead process's run the moment its heartbeat goes stale, instead of at the next
 * minute tick after that: a timer at its last heartbeat + STALE_RUN_MS runs the dead-run sweep,
 * then re-arms for the runs still `running`. Without it, a run killed with kill -9 showed
 * `running` for 30–80 s after a restart.
 */
import type { Store } from "../db/store.ts";
import { runStaleAt } from "../scan/liveness.ts";

/** setTimeout/clearTimeout, injectable so tests drive the clock. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Past the stale moment, so the sweep's own `now - last >= STALE_RUN_MS` holds for sure. */
const MARGIN_MS = 250;
/** Never re-arm sooner than this (a run kept alive by its checks while its heartbeat lags). */
const MIN_DELAY_MS = 1_000;

export interface DeadRunWatchOptions {
  store: Store;
  now: () => number;
  timers?: Timers;
  /** Marks the runs of dead processes `interrupted` (the scheduler's sweep). */
  sweep: () => Promise<void>;
  /** The run this process is scanning, if any: never waited for. */
  ownRunId: () => number | null;
  log: (message: string) => void;
}

export interface DeadRunWatch {
  /** (Re)reads the running runs and sets the timer for the first to go stale. */
  arm(): Promise<void>;
  /** The timer armed, as an epoch ms; null when no other process's run is running. */
  armedAt(): number | null;
  stop(): void;
}

export function createDeadRunWatch(opts: DeadRunWatchOptions): DeadRunWatch {
  const timers = opts.timers ?? realTimers;
  let handle: unknown = null;
  let at: number | null = null;
  let stopped = false;

  function clear() {
    if (handle !== null) timers.clear(handle);
    handle = null;
    at = null;
  }

  async function fire() {
    handle = null;
    at = null;
    try {
      await opts.sweep();
      await arm();
    } catch (err) {
      opts.log(`dead-run check failed: ${(err as Error).message}`);
    }
  }

  async function arm(): Promise<void> {
    if (stopped) return;
    const own = opts.ownRunId();
    const running = (await opts.store.listRuns(50)).filter((r) =>
      r.status === "running" && r.id !== own
    );
    if (stopped) return;
    clear();
    if (running.length === 0) return;
    const now = opts.now();
    const staleAt = Math.min(...running.map(runStaleAt)) + MARGIN_MS;
    const delay = Math.max(staleAt - now, MIN_DELAY_MS);
    at = now + delay;
    handle = timers.set(() => void fire(), delay);
  }

  return {
    arm,
    armedAt: () => at,
    stop() {
      stopped = true;
      clear();
    },
  };
}
