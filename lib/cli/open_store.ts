import type { Config } from "../config/settings.ts";
import { openStore } from "../db/open.ts";
import type { Store } from "../db/store.ts";

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
