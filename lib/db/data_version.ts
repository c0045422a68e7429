/**
 * The data's version: one cheap read that changes whenever anything a page or the API shows
 * was written, by any process on the database. Checks and rollups already bump
 * `store_meta.rollups_version` in their transaction (rollups.ts); the triggers below bump
 * `store_meta.data_version` for runs, the catalog, catalog and alert events, OpenRouter's
 * endpoint stats and retention's cutoff. A heartbeat (runs.heartbeat_at alone) bumps nothing:
 * it changes nothing anyone sees.
 *
 *   const v = await readDataVersion(store.client); // "1234.56"
 */
import type { Client } from "@libsql/client";

/** The statement every data-version trigger runs. */
export const DATA_VERSION_BUMP =
  "UPDATE store_meta SET value = value + 1 WHERE name = 'data_version';";

/** Columns of `runs` that pages and the API show (everything but the heartbeat, pid, host). */
const RUN_COLUMNS =
  'started_at, finished_at, status, "trigger", total_models, ok_count, failed_count, ' +
  "skipped_count, error, region";

function trigger(name: string, when: string, table: string, condition = ""): string {
  return `CREATE TRIGGER ${name} AFTER ${when} ON ${table} ${condition} BEGIN ${DATA_VERSION_BUMP} END`;
}

/** Migration 6: the counter and its triggers. */
export const DATA_VERSION_SCHEMA: readonly string[] = [
  `INSERT INTO store_meta (name, value) VALUES ('data_version', 0)`,
  trigger("data_version_runs_insert", "INSERT", "runs"),
  trigger("data_version_runs_update", `UPDATE OF ${RUN_COLUMNS}`, "runs"),
  trigger("data_version_runs_delete", "DELETE", "runs"),
  trigger("data_version_models_insert", "INSERT", "models"),
  trigger("data_version_models_update", "UPDATE", "models"),
  trigger("data_version_catalog_events_insert", "INSERT", "catalog_events"),
  trigger("data_version_alert_events_insert", "INSERT", "alert_events"),
  trigger("data_version_alert_events_delete", "DELETE", "alert_events"),
  trigger("data_version_endpoint_fetches_insert", "INSERT", "endpoint_fetches"),
  trigger("data_version_endpoint_fetches_delete", "DELETE", "endpoint_fetches"),
  trigger(
    "data_version_pruned_insert",
    "INSERT",
    "store_meta",
    "WHEN NEW.name = 'raw_pruned_before'",
  ),
  trigger(
    "data_version_pruned_update",
    "UPDATE",
    "store_meta",
    "WHEN NEW.name = 'raw_pruned_before'",
  ),
];

/** "<rollups_version>.<data_version>": equal strings, equal data. One indexed read. */
export async function readDataVersion(client: Pick<Client, "execute">): Promise<string> {
  const rs = await client.execute(
    "SELECT name, value FROM store_meta WHERE name IN ('rollups_version', 'data_version')",
  );
  const of = (name: string) => String(rs.rows.find((r) => r.name === name)?.value ?? 0);
  return `${of("rollups_version")}.${of("data_version")}`;
}
