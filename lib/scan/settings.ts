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
  };
}
