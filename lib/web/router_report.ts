/**
 * What GET /api/router and the Router page show: the router's in-memory counters since the
 * server started, the breakers stored in the database, and the durable hourly history
 * (lib/stats/router.ts). Measurements and decisions only: no prompt, no answer, no token.
 */
import { loadBreakers } from "../db/router.ts";
import type { Store } from "../db/store.ts";
import type { BreakerPhase } from "../router/breaker.ts";
import { type Decision, emptyRouterStats } from "../router/router.ts";
import { type RouterHistory, routerHistory, type RouterRange } from "../stats/router.ts";
import type { RouterView } from "./deps.ts";

export interface RouterModelCounts {
  model_id: string;
  /** Attempts it answered, since the server started. */
  served: number;
  /** Attempts that failed on it (the request failed over, or ended). */
  failed: number;
  /** Its breaker after its latest routed attempt. */
  breaker: BreakerPhase;
}

export interface StoredBreakerView {
  model_id: string;
  state: "open" | "half_open";
  /** Failures in a row. */
  failures: number;
  /** When it opened, or when its half-open trial started (ISO 8601). */
  since: string | null;
}

export interface RouterReport {
  enabled: boolean;
  /** When the counters started (the server's start); null when the router is off. */
  since: string | null;
  requests: number;
  answered: number;
  failovers: number;
  account_limit_waits: number;
  account_limit_refusals: number;
  per_model: RouterModelCounts[];
  /** Breakers not closed now, as stored (probes move them too, not only routed traffic). */
  open_breakers: StoredBreakerView[];
  /** The latest routed requests, newest first (at most 50). */
  last_decisions: Decision[];
  history: RouterHistory;
}

export async function routerReport(
  store: Store,
  router: RouterView | null | undefined,
  range: RouterRange,
  now: number,
): Promise<RouterReport> {
  const stats = router ? router.stats() : emptyRouterStats();
  const [history, breakers] = await Promise.all([
    routerHistory(store, range, now),
    loadBreakers(store.client),
  ]);
  return {
    enabled: Boolean(router),
    since: router ? new Date(router.since).toISOString() : null,
    requests: stats.requests,
    answered: stats.answered,
    failovers: stats.failovers,
    account_limit_waits: stats.account_limit_waits,
    account_limit_refusals: stats.account_limit_refusals,
    per_model: Object.entries(stats.per_model)
      .map(([model_id, m]) => ({
        model_id,
        served: m.served,
        failed: m.failed,
        breaker: m.breaker,
      }))
      .sort((a, b) =>
        b.served - a.served || b.failed - a.failed || a.model_id.localeCompare(b.model_id)
      ),
    open_breakers: breakers.flatMap((b): StoredBreakerView[] =>
      b.state === "closed" ? [] : [{
        model_id: b.model_id,
        state: b.state,
        failures: b.failures,
        since: b.since === null ? null : new Date(b.since).toISOString(),
      }]
    ),
    last_decisions: stats.last_decisions,
    history,
  };
}
