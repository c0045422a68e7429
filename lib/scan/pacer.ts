import type { Clock } from "./clock.ts";
import { createQuotaLedger, type QuotaLedger } from "./quota.ts";

export interface PacerOptions {
  /** At most this many requests start in any window of `windowMs`. */
  rpm: number;
  /** At least this long between two request starts. */
  delayMs: number;
  clock: Clock;
  windowMs?: number;
  /** The day's quota this pacer spends; by default a ledger of its own. */
  quota?: QuotaLedger;
}

/** The account's per-window limit as OpenRouter's 429s taught it. */
export interface LearnedLimit {
  limit: number;
  windowMs: number;
}

/**
 * One pacer shared by every concurrent probe of a scan, and by the successive scans of a
 * process (a scan started right after another must not reset the window). `acquire` resolves
 * when a request may start and records it; callers are served in order. Every request counts,
 * failed ones too, as OpenRouter counts them — against the window and against the day's quota.
 */
export interface GrantOptions {
  /**
   * Routed traffic may spend what is kept back (OPENROUTER_SCOUT_QUOTA_RESERVE and the share
   * kept for routed traffic, OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE); probes never do.
   */
  spendReserve?: boolean;
}

export interface Pacer {
  /**
   * Resolves with true when a request may start now; false if `signal` aborted first or the
   * day's quota (less the reserve, unless `grant.spendReserve`) is spent — `quota.left()` tells
   * which.
   */
  acquire(signal?: AbortSignal, grant?: GrantOptions): Promise<boolean>;
  /** The same, resolving with the grant's time (epoch ms) instead of true, null for false. */
  acquireAt(signal?: AbortSignal, grant?: GrantOptions): Promise<number | null>;
  /** Holds every request until `until` (epoch ms): an account per-minute limit was hit. */
  pauseUntil(until: number): void;
  /**
   * An account per-window 429 for the request granted at `grantedAt`: from then on, every
   * request of the process keeps to `limit` per window, the window being the time from the
   * oldest of the `limit` requests before it to `resetAt` (OpenRouter's X-RateLimit-Reset).
   */
  learn(limit: number, resetAt: number | null, grantedAt: number): LearnedLimit;
  /** The limit learned so far; null before any account 429 said it. */
  readonly learned: LearnedLimit | null;
  readonly quota: QuotaLedger;
  /**
   * Start times of the latest granted requests, oldest first (at most max(rpm, 1,000): a
   * server shares one pacer between its scans for months), for tests and reports.
   */
  readonly granted: readonly number[];
}

/** Start times kept beyond the `rpm` the window needs. */
const HISTORY = 1_000;
/** A learned window outside these bounds is not believed ("per-min" means at most a minute). */
const MIN_WINDOW_MS = 1_000;
const MAX_WINDOW_MS = 60_000;

export function createPacer(opts: PacerOptions): Pacer {
  const windowMs = opts.windowMs ?? 60_000;
  const quota = opts.quota ?? createQuotaLedger();
  const granted: number[] = [];
  let pausedUntil = 0;
  let learned: LearnedLimit | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  /** The wait the window of `limit` requests per `window` ms imposes at `now`. */
  function windowWait(limit: number, window: number, now: number): number {
    if (granted.length < limit) return 0;
    // The request `limit` places back must have left the window before another may start.
    return granted[granted.length - limit] + window - now;
  }

  /** How long to wait before a request may start at `now`; 0 means now. */
  function waitAt(now: number): number {
    let wait = Math.max(0, pausedUntil - now);
    const last = granted.at(-1);
    if (last !== undefined) wait = Math.max(wait, last + opts.delayMs - now);
    wait = Math.max(wait, windowWait(opts.rpm, windowMs, now));
    if (learned) wait = Math.max(wait, windowWait(learned.limit, learned.windowMs, now));
    return wait;
  }

  async function take(signal?: AbortSignal, grant?: GrantOptions): Promise<number | null> {
    while (true) {
      if (signal?.aborted) return null;
      if (quota.left(opts.clock.now(), grant?.spendReserve) === 0) return null;
      const wait = waitAt(opts.clock.now());
      if (wait <= 0) break;
      await opts.clock.sleep(wait, signal);
    }
    const at = opts.clock.now();
    granted.push(at);
    quota.spend(at);
    const excess = granted.length - Math.max(opts.rpm, HISTORY);
    if (excess > 0) granted.splice(0, excess);
    return at;
  }

  function acquireAt(signal?: AbortSignal, grant?: GrantOptions): Promise<number | null> {
    const turn = queue.then(() => take(signal, grant));
    queue = turn.catch(() => null);
    return turn;
  }

  return {
    acquireAt,
    acquire: (signal, grant) => acquireAt(signal, grant).then((at) => at !== null),
    pauseUntil(until) {
      pausedUntil = Math.max(pausedUntil, until);
    },
    learn(limit, resetAt, grantedAt) {
      const n = Math.max(1, Math.min(HISTORY, Math.floor(limit)));
      // The refused request's place in the history, then the oldest of the n before it.
      let i = granted.length - 1;
      while (i >= 0 && granted[i] > grantedAt) i--;
      const oldest = i - n >= 0 ? granted[i - n] : null;
      let window = resetAt !== null && oldest !== null ? resetAt - oldest : MAX_WINDOW_MS;
      if (!(window >= MIN_WINDOW_MS && window <= MAX_WINDOW_MS)) window = MAX_WINDOW_MS;
      // Another 429 under a learned limit means the window was underestimated: never shrink it.
      if (learned && learned.limit === n) window = Math.max(window, learned.windowMs);
      learned = { limit: n, windowMs: window };
      return learned;
    },
    get learned() {
      return learned;
    },
    quota,
    get granted() {
      return granted;
    },
  };
}
