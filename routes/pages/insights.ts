/**
 * Data for the dashboard's and the model page's extra sections: the recommendation, the
 * quota plan, recent alerts, OpenRouter's own stats. A failure here never breaks a page: the
 * section is left out and the error logged.
 */
import { listAlertEvents } from "../../lib/db/alert_events.ts";
import { latestEndpointFetches, type StoredEndpointFetch } from "../../lib/db/endpoint_stats.ts";
import type { AlertEvent } from "../../lib/domain/alerts.ts";
import type { QuotaPlan } from "../../lib/planner/budget.ts";
import { recommend, type RecommendResult } from "../../lib/recommend/mod.ts";
import type { Store } from "../../lib/db/store.ts";
import { readContext } from "../../lib/stats/mod.ts";
import type { AppDeps } from "../../lib/web/deps.ts";

export const DASHBOARD_RECOMMENDATIONS = 3;
export const DASHBOARD_ALERTS = 8;

export interface DashboardInsights {
  recommendation: RecommendResult | null;
  quota: QuotaPlan | null;
  alerts: AlertEvent[] | null;
}

async function orNull<T>(deps: AppDeps, what: string, p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    (deps.log ?? console.error)(`dashboard: ${what} unavailable: ${(err as Error).message}`);
    return null;
  }
}

/**
 * The dashboard's top picks, reused until the rollups change (any process's write bumps their
 * version) or the minute turns: ranking every model costs more than the rest of the page's
 * reads, and the answer only moves with new checks.
 */
const recommendations = new WeakMap<Store, { key: string; value: Promise<RecommendResult> }>();

async function dashboardRecommendation(store: Store, now: number): Promise<RecommendResult> {
  const { version } = await readContext(store, now);
  const key = `${version}:${Math.floor(now / 60_000)}`;
  const cached = recommendations.get(store);
  if (cached?.key === key) return cached.value;
  const value = recommend(
    store,
    { minContext: null, tools: false, modalities: [], limit: DASHBOARD_RECOMMENDATIONS },
    now,
  );
  recommendations.set(store, { key, value });
  value.catch(() => recommendations.delete(store)); // a failure is not kept
  return await value;
}

export async function dashboardInsights(deps: AppDeps, now: number): Promise<DashboardInsights> {
  const [recommendation, quota, alerts] = await Promise.all([
    orNull(deps, "recommendation", dashboardRecommendation(deps.store, now)),
    deps.quota ? orNull(deps, "quota plan", deps.quota()) : Promise.resolve(null),
    orNull(
      deps,
      "alerts",
      listAlertEvents(deps.store.client, { limit: DASHBOARD_ALERTS, until: now }),
    ),
  ]);
  return { recommendation, quota, alerts };
}

/** The latest OpenRouter endpoint stats of one model, or null when none were read. */
export async function openRouterStatsOf(
  deps: AppDeps,
  id: string,
  now: number,
): Promise<StoredEndpointFetch | null> {
  const [latest] = await orNull(
    deps,
    "OpenRouter stats",
    latestEndpointFetches(deps.store.client, { modelId: id, now }),
  ) ?? [];
  return latest ?? null;
}
