import type { Store } from "../db/store.ts";
import type { QuotaPlan } from "../planner/budget.ts";
import type { RouterStats } from "../router/router.ts";
import type { ScanControl } from "../scan/status.ts";

/** Everything routes need; created once by the server, replaced by fakes in route tests. */
export interface AppDeps {
  store: Store;
  scanner: ScanControl;
  /** Epoch ms; injectable so tests can pin "now". */
  now: () => number;
  /** POST /api/scan needs `Authorization: Bearer <adminToken>`; null turns it off (403). */
  adminToken: string | null;
  /** Where routes report failures; the server passes its secret-filtering log. */
  log?: (message: string) => void;
  /** The quota planner's view of the schedule (lib/planner); unset: not shown. */
  quota?: () => Promise<QuotaPlan | null>;
  /**
   * The data's version (lib/db/data_version.ts), equal while nothing shown has changed. Set
   * (the server sets it), pages and GET API answers are served from lib/web/response_cache.ts,
   * rendered again when it or the scanner's status changes (both read at most once a second).
   */
  dataVersion?: () => Promise<string>;
  /** The router (/v1) as GET /api/router, /router and /metrics read it; unset or null: off. */
  router?: RouterView | null;
}

/** What the views read of the router: its in-memory counters, and since when they count. */
export interface RouterView {
  stats(): RouterStats;
  /** When the counters started (the server's start), epoch ms. */
  since: number;
}
