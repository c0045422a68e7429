/** What every command that touches OpenRouter or the database sets up the same way. */
import type { Config } from "../config/settings.ts";
import { openStore } from "../db/open.ts";
import type { Store } from "../db/store.ts";
import { createOpenRouterClient } from "../openrouter/client.ts";
import { withEndpointStats } from "../openrouter/endpoints.ts";
import { runIsAlive } from "../scan/liveness.ts";

/** The database the configuration names; null, after saying why in one line, if it won't open. */
export async function openConfiguredStore(
  config: Pick<Config, "databaseUrl" | "dbPath" | "databaseAuthToken">,
  log: (message: string) => void,
): Promise<Store | null> {
  try {
    return await openStore({
      url: config.databaseUrl,
      path: config.dbPath,
      authToken: config.databaseAuthToken,
    });
  } catch (err) {
    log(`error: cannot open the database: ${(err as Error).message}`);
    return null;
  }
}

/** The OpenRouter client the configuration names, with the per-endpoint stats call. */
export function openRouterOf(config: Config) {
  const options = {
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    httpReferer: config.httpReferer,
    xTitle: config.xTitle,
  };
  return withEndpointStats(
    createOpenRouterClient({ ...options, stallMs: config.stallSeconds * 1000 }),
    options,
  );
}

/** Closes the runs of processes that died mid-scan (lib/scan/liveness.ts), saying how many. */
export async function closeDeadRuns(store: Store, log: (message: string) => void): Promise<void> {
  const interrupted = await store.markInterruptedRuns(Date.now(), runIsAlive);
  if (interrupted > 0) log(`marked ${interrupted} unfinished earlier run(s) as interrupted`);
}
