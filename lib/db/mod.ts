/** Storage: open the database, then use the returned Store. */
export { DEFAULT_DB_PATH, type OpenOptions, openStore } from "./open.ts";
export { StoreError } from "./errors.ts";
export { LATEST_VERSION, type Migration, MIGRATIONS } from "./migrations.ts";
export * from "./store.ts";
