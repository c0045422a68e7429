import type { Clock } from "./clock.ts";

export interface PacerOptions {
  /** At most this many requests start in any window of `windowMs`. */
  rpm: number;
  /** At least this long between two request starts. */
  delayMs: number;
  clock: Clock;
  windowMs?: number;
}

/**
 * One pacer shared by every concurrent probe of a scan, and by the successive scans of a
 * process (a scan started right after another must not reset the window). `acquire` resolves
 * when a request may start and records it; callers are served in order. Every request counts,
 * failed ones too, as OpenRouter counts them.
 */
export interface Pacer {
  /** Resolves with true when a request may start now; false if `signal` aborted first. */
  acquire(signal?: AbortSignal): Promise<boolean>;
  /** Holds every request until `until` (epoch ms): an account per-minute limit was hit. */
  pauseUntil(until: number): void;
  /**
   * Start times of the latest granted requests, oldest first (at most max(rpm, 1,000): a
   * server shares one pacer between its scans for months), for tests and reports.
   */
  readonly granted: readonly number[];
}

/** Start times kept beyond the `rpm` the window needs. */
const HISTORY = 1_000;

export function createPacer(opts: PacerOptions): Pacer {
  const windowMs = opts.windowMs ?? 60_000;
  const granted: number[] = [];
  let pausedUntil = 0;
  let queue: Promise<unknown> = Promise.resolve();

  /** How long to wait before a request may start at `now`; 0 means now. */
  function waitAt(now: number): number {
    let wait = Math.max(0, pausedUntil - now);
    const last = granted.at(-1);
    if (last !== undefined) wait = Math.max(wait, last + opts.delayMs - now);
    if (granted.length >= opts.rpm) {
      // The request rpm places back must have left the window before another may start.
      const oldest = granted[granted.length - opts.rpm];
      wait = Math.max(wait, oldest + windowMs - now);
    }
    return wait;
  }

  async function take(signal?: AbortSignal): Promise<boolean> {
    while (true) {
      if (signal?.aborted) return false;
      const wait = waitAt(opts.clock.now());
      if (wait <= 0) break;
      await opts.clock.sleep(wait, signal);
    }
    granted.push(opts.clock.now());
    const excess = granted.length - Math.max(opts.rpm, HISTORY);
    if (excess > 0) granted.splice(0, excess);
    return true;
  }

  return {
    acquire(signal) {
      const turn = queue.then(() => take(signal));
      queue = turn.catch(() => false);
      return turn;
    },
    pauseUntil(until) {
      pausedUntil = Math.max(pausedUntil, until);
    },
    get granted() {
      return granted;
    },
  };
}
