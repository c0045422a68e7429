import type { Config } from "../config/settings.ts";
import type { Store } from "../db/store.ts";
import type { EndpointsFetcher } from "../openrouter/endpoints.ts";
import { systemClock } from "../scan/clock.ts";
import {
  createEndpointStatsJob,
  endpointStatsIntervalMs,
  type EndpointStatsJob,
} from "../scan/endpoint_stats.ts";

/**
 * The background reader of OpenRouter's endpoint stats both commands run after each scan;
 * null when OPENROUTER_SCOUT_ENDPOINT_STATS_INTERVAL_HOURS is 0.
 */
export function endpointStatsJobOf(
  config: Config,
  store: Store,
  openrouter: { getEndpoints: EndpointsFetcher },
  log: (message: string) => void,
): EndpointStatsJob | null {
  const intervalMs = endpointStatsIntervalMs(config.endpointStatsIntervalHours);
  if (intervalMs <= 0) return null;
  return createEndpointStatsJob({
    fetcher: openrouter.getEndpoints,
    store,
    clock: systemClock,
    intervalMs,
    timeoutMs: config.timeoutSeconds * 1000,
    log,
  });
}
