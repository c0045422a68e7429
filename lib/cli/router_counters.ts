/**
 * Keeps the router's request-level counters across restarts: every `intervalMs` (1 s: the
 * stored hours, and so /router's chart, lag the live counters by at most that; an idle second
 * writes nothing, a busy one one small upsert, never in a request's path) the growth of
 * its in-memory counters since the last write is added to the current UTC hour's row
 * (lib/db/router.ts router_hours). A failed write is retried with the next one, so nothing is
 * counted twice or lost while the process lives; a crash loses at most one interval.
 */
import { addRouterHour, ROUTER_HOUR_FIELDS, type RouterHourCounts } from "../db/router.ts";
import type { Store } from "../db/store.ts";
import type { RouterStats } from "../router/router.ts";

export interface RouterCounterJob {
  /** Writes what grew since the last write now (also what `stop` does last). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function startRouterCounters(opts: {
  stats: () => RouterStats;
  store: Store;
  log: (message: string) => void;
  intervalMs?: number;
  now?: () => number;
}): RouterCounterJob {
  const now = opts.now ?? Date.now;
  let written: RouterHourCounts = countsOf(opts.stats());
  let running: Promise<void> = Promise.resolve();

  const writeGrowth = async (): Promise<void> => {
    const current = countsOf(opts.stats());
    const delta = { ...current };
    for (const f of ROUTER_HOUR_FIELDS) delta[f] -= written[f];
    if (ROUTER_HOUR_FIELDS.every((f) => delta[f] === 0)) return;
    try {
      await addRouterHour(opts.store.client, now(), delta);
      written = current;
    } catch (err) {
      opts.log(`router: could not store the hour's counters: ${(err as Error).message}`);
    }
  };
  // One write at a time: a slow one is never overtaken by the next.
  const flush = () => (running = running.then(writeGrowth));
  const timer = setInterval(flush, opts.intervalMs ?? 1_000);
  return {
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}

function countsOf(s: RouterStats): RouterHourCounts {
  return {
    requests: s.requests,
    answered: s.answered,
    failovers: s.failovers,
    account_limit_waits: s.account_limit_waits,
    account_limit_refusals: s.account_limit_refusals,
  };
}
