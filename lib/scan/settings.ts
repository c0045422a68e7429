import type { Config } from "../config/settings.ts";
import type { ScanSettings } from "./scan.ts";

/** The part of the configuration a scan reads. */
export function scanSettingsOf(config: Config): ScanSettings {
  return {
    prompt: config.prompt,
    timeoutSeconds: config.timeoutSeconds,
    maxRetries: config.maxRetries,
    concurrency: config.concurrency,
    requestDelaySeconds: config.requestDelaySeconds,
    rpm: config.rpm,
    modelIdContains: config.modelIdContains,
    maxModels: config.maxModels,
    region: config.region,
    quotaReserve: config.quotaReserve,
    // The share only applies with the router on: without it, nothing routes traffic.
    trafficShare: config.routerToken ? config.routerTrafficShare : 0,
    trafficFreshMinutes: trafficFreshMinutesOf(config),
  };
}

/**
 * How recent a traffic check must be to stand for a probe: OPENROUTER_SCOUT_TRAFFIC_FRESH_MINUTES,
 * else the scan interval (a model is measured once a round either way), 60 with a cron schedule.
 */
export function trafficFreshMinutesOf(
  config: Pick<Config, "trafficFreshMinutes" | "intervalHours" | "cron">,
): number {
  if (config.trafficFreshMinutes !== null) return config.trafficFreshMinutes;
  return config.cron ? 60 : Math.max(1, Math.round(config.intervalHours * 60));
}
