/**
 * Versioned schema migrations, recorded in `schema_migrations`.
 *
 * To change the schema, append a migration with the next version; never edit one that has
 * shipped. Each migration runs in its own write transaction together with its bookkeeping row,
 * so a failure leaves the database at the previous version. All timestamps are INTEGER epoch
 * milliseconds.
 *
 * A future migration that rebuilds a table (SQLite's way to change a column) must run with
 * foreign keys off; `client.migrate()` does that, plain transactions do not.
 */
import type { Client } from "@libsql/client";
import { describeError, StoreError } from "./errors.ts";
import { numOrNull } from "./values.ts";
import { NOT_MEASURED_SCHEMA, ROLLUP_SCHEMA } from "./rollups.ts";
import { DATA_VERSION_SCHEMA } from "./data_version.ts";
import { CAPABILITY_SCHEMA } from "./capabilities.ts";

export interface Migration {
  version: number;
  name: string;
  sql: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "runs, models, catalog events, checks, leases",
    sql: [
      `CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        status TEXT NOT NULL,
        "trigger" TEXT NOT NULL,
        total_models INTEGER,
        ok_count INTEGER NOT NULL DEFAULT 0,
        failed_count INTEGER NOT NULL DEFAULT 0,
        skipped_count INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        pid INTEGER,
        host TEXT,
        heartbeat_at INTEGER
      )`,
      `CREATE INDEX idx_runs_started_at ON runs (started_at)`,
      // Arrays and the reasoning object are JSON text. `present` = 1 when the model was in the
      // latest successful catalog; rows are never deleted, so history keeps its names.
      `CREATE TABLE models (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT,
        context_length INTEGER,
        input_modalities TEXT NOT NULL DEFAULT '[]',
        output_modalities TEXT NOT NULL DEFAULT '[]',
        supported_parameters TEXT NOT NULL DEFAULT '[]',
        expiration_date TEXT,
        created INTEGER,
        is_router INTEGER NOT NULL DEFAULT 0,
        reasoning TEXT,
        first_seen_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        present INTEGER NOT NULL DEFAULT 1,
        removed_at INTEGER
      )`,
      `CREATE TABLE catalog_events (
        id INTEGER PRIMARY KEY,
        model_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('added', 'removed', 'returned')),
        at INTEGER NOT NULL,
        run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL
      )`,
      `CREATE INDEX idx_catalog_events_model_at ON catalog_events (model_id, at)`,
      `CREATE INDEX idx_catalog_events_at ON catalog_events (at)`,
      // No foreign key to models: a check is history and must not depend on the catalog row.
      `CREATE TABLE checks (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        model_id TEXT NOT NULL,
        checked_at INTEGER NOT NULL,
        status TEXT NOT NULL,
        ok INTEGER NOT NULL,
        http_status INTEGER,
        latency_ms INTEGER,
        ttft_ms INTEGER,
        attempts INTEGER NOT NULL DEFAULT 1,
        output_tokens INTEGER,
        tokens_per_second REAL,
        provider TEXT,
        error TEXT,
        skip_reason TEXT,
        answer TEXT
      )`,
      `CREATE INDEX idx_checks_model_time ON checks (model_id, checked_at)`,
      `CREATE INDEX idx_checks_time ON checks (checked_at)`,
      `CREATE INDEX idx_checks_run ON checks (run_id)`,
      // A named lease with an expiry: one scan at a time per database, across processes.
      `CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        acquired_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: "rollups (hourly, daily), latest state per model, model keys, legacy import keys",
    // Generated from lib/db/rollups.ts, and backfilled there from the checks already stored.
    // Shipped: if that SQL changes, freeze today's text here instead of changing this migration.
    sql: ROLLUP_SCHEMA,
  },
  {
    version: 3,
    name: "alert state, alert events and deliveries, OpenRouter endpoint stats",
    sql: [
      // Per model: up/down as the alert rules see it, and the streaks that move it.
      `CREATE TABLE alert_state (
        model_id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('unknown', 'up', 'down')),
        fail_streak INTEGER NOT NULL DEFAULT 0,
        ok_streak INTEGER NOT NULL DEFAULT 0,
        changed_at INTEGER,
        updated_at INTEGER NOT NULL
      )`,
      // How far the alert rules have read (checks.id, catalog_events.id, and one cursor per
      // webhook target over alert_events.id). Started at the current end: an upgrade does not
      // replay old history as alerts.
      `CREATE TABLE alert_cursors (name TEXT PRIMARY KEY, value INTEGER NOT NULL)`,
      `INSERT INTO alert_cursors (name, value)
        SELECT 'checks', COALESCE(MAX(id), 0) FROM checks`,
      `INSERT INTO alert_cursors (name, value)
        SELECT 'catalog', COALESCE(MAX(id), 0) FROM catalog_events`,
      // `dedupe_key` makes each state change one event, whichever process sees it first.
      `CREATE TABLE alert_events (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('model_down', 'model_recovered', 'model_added',
          'model_removed', 'model_expiring')),
        model_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL,
        dedupe_key TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        message TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}'
      )`,
      `CREATE INDEX idx_alert_events_at ON alert_events (at)`,
      `CREATE INDEX idx_alert_events_model_at ON alert_events (model_id, at)`,
      // The outbox. `target` is a hash of the webhook URL, never the URL: it holds a token.
      `CREATE TABLE alert_deliveries (
        id INTEGER PRIMARY KEY,
        event_id INTEGER NOT NULL REFERENCES alert_events (id) ON DELETE CASCADE,
        target TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER,
        UNIQUE (event_id, target)
      )`,
      `CREATE INDEX idx_alert_deliveries_due ON alert_deliveries (status, next_attempt_at)`,
      // GET /models/{author}/{slug}/endpoints, once per model per scan: one fetch row, and a
      // row per endpoint (provider) it listed.
      `CREATE TABLE endpoint_fetches (
        id INTEGER PRIMARY KEY,
        model_id TEXT NOT NULL,
        run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL,
        fetched_at INTEGER NOT NULL,
        endpoint_count INTEGER NOT NULL
      )`,
      `CREATE INDEX idx_endpoint_fetches_model_at ON endpoint_fetches (model_id, fetched_at)`,
      `CREATE INDEX idx_endpoint_fetches_at ON endpoint_fetches (fetched_at)`,
      `CREATE TABLE endpoint_stats (
        id INTEGER PRIMARY KEY,
        fetch_id INTEGER NOT NULL REFERENCES endpoint_fetches (id) ON DELETE CASCADE,
        provider_name TEXT,
        tag TEXT,
        name TEXT,
        status INTEGER,
        context_length INTEGER,
        max_completion_tokens INTEGER,
        quantization TEXT,
        uptime_5m REAL,
        uptime_30m REAL,
        uptime_1d REAL,
        latency_p50_ms REAL,
        latency_p75_ms REAL,
        latency_p90_ms REAL,
        latency_p99_ms REAL,
        throughput_p50 REAL,
        throughput_p75 REAL,
        throughput_p90 REAL,
        throughput_p99 REAL
      )`,
      `CREATE INDEX idx_endpoint_stats_fetch ON endpoint_stats (fetch_id)`,
    ],
  },
  {
    version: 4,
    name: "regions: the region of each run and check",
    sql: [
      // OPENROUTER_SCOUT_REGION of the process that scanned; NULL for untagged (older) rows.
      // No index on checks: reads go through (model_id, checked_at), and each index would be
      // one more write per check, across the ocean for a far region.
      `ALTER TABLE runs ADD COLUMN region TEXT`,
      `ALTER TABLE checks ADD COLUMN region TEXT`,
      // The scheduler's "last scan of this region" (interval timing per region).
      `CREATE INDEX idx_runs_region_started_at ON runs (region, started_at)`,
    ],
  },
  {
    version: 5,
    name: "router: check source (probe or traffic), circuit breakers, the traffic run",
    sql: [
      // 'probe': a scan measured it; 'traffic': a request routed through /v1 (no prompt, no answer).
      `ALTER TABLE checks ADD COLUMN source TEXT NOT NULL DEFAULT 'probe'`,
      // One circuit breaker per model (lib/router/breaker.ts), kept across restarts.
      `CREATE TABLE router_breakers (
        model_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        failures INTEGER NOT NULL,
        opened_at INTEGER,
        updated_at INTEGER NOT NULL
      )`,
      // The run routed traffic's checks belong to (created with the first routed request).
      `CREATE TABLE router_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)`,
    ],
  },
  {
    version: 6,
    name: "data version: triggers that bump store_meta.data_version on what pages show",
    // Generated from lib/db/data_version.ts; shipped: freeze its text here if that changes.
    sql: DATA_VERSION_SCHEMA,
  },
  {
    version: 7,
    name: "blame: who was at fault for each check, OpenRouter incidents per run",
    sql: [
      // model | upstream | shared_capacity | account | openrouter; NULL for ok (and older rows).
      `ALTER TABLE checks ADD COLUMN fault TEXT`,
      // One sentence when most models of the run failed alike at once (lib/scan/incident.ts).
      `ALTER TABLE runs ADD COLUMN incident TEXT`,
    ],
  },
  {
    version: 8,
    name: "not measured: the checks blamed on OpenRouter, found without a scan of every check",
    // Read models leave them out of uptime (lib/stats/not_measured.ts); few rows, small index.
    sql: [
      `CREATE INDEX idx_checks_openrouter ON checks (checked_at) WHERE fault = 'openrouter'`,
    ],
  },
  {
    version: 9,
    name: "verified capabilities: every check, the latest verdict, capability catalog events",
    // Generated from lib/db/capabilities.ts; shipped: freeze its text here if that changes.
    sql: CAPABILITY_SCHEMA,
  },
  {
    version: 10,
    name: "not measured in the rollups: failed checks blamed on OpenRouter counted apart",
    // Generated from lib/db/rollups.ts (`openrouter` column, then the checks already blamed
    // moved into it). Shipped: if that SQL changes, freeze today's text here instead.
    sql: NOT_MEASURED_SCHEMA,
  },
  {
    version: 11,
    name: "router views: requests and failovers per hour, traffic checks found by time",
    sql: [
      // Request-level counters per UTC hour (lib/cli/router_counters.ts adds to the current
      // one): checks know attempts, not requests. One row per hour with traffic; no content.
      `CREATE TABLE router_hours (
        hour INTEGER PRIMARY KEY,
        requests INTEGER NOT NULL DEFAULT 0,
        answered INTEGER NOT NULL DEFAULT 0,
        failovers INTEGER NOT NULL DEFAULT 0,
        account_limit_waits INTEGER NOT NULL DEFAULT 0,
        account_limit_refusals INTEGER NOT NULL DEFAULT 0
      )`,
      // GET /api/router's history reads the traffic checks of a day or a week, not every probe.
      `CREATE INDEX idx_checks_traffic ON checks (checked_at) WHERE source = 'traffic'`,
    ],
  },
  {
    version: 12,
    name: "runs: models not probed because routed traffic measured them recently",
    // A count only: the traffic checks are the measurement (lib/scan/traffic_measured.ts).
    sql: [`ALTER TABLE runs ADD COLUMN traffic_measured INTEGER NOT NULL DEFAULT 0`],
  },
];

export const LATEST_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1].version;

export interface MigrationReport {
  /** Schema version before migrating (0 for a new database). */
  from: number;
  to: number;
  applied: number[];
}

/** The highest applied version, 0 when none (or no bookkeeping table yet). */
export async function schemaVersion(client: Pick<Client, "execute">): Promise<number> {
  const rs = await client.execute(
    "SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations",
  );
  return numOrNull(rs.rows[0]?.v) ?? 0;
}

/**
 * Brings the database up to LATEST_VERSION. Safe to run on every open and from several processes
 * at once: the version is re-read inside each write transaction, so a migration another process
 * applied meanwhile is skipped. A database newer than this code is refused, not touched.
 */
export async function migrate(
  client: Client,
  now: number = Date.now(),
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationReport> {
  await client.execute(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    )`,
  );
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  const from = await schemaVersion(client);
  if (from > latest) {
    throw new StoreError(
      `schema version ${from} is newer than this Scouter supports (${latest}); ` +
        `upgrade Scouter or use another database`,
    );
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= from) continue;
    // One batch is one transaction on the client's own connection (libsql's `transaction()`
    // hands the connection over and opens another, which deadlocks concurrent openers).
    try {
      await client.batch([
        ...m.sql,
        {
          sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
          args: [m.version, m.name, now],
        },
      ], "write");
      applied.push(m.version);
    } catch (e) {
      // Another process may have applied it meanwhile: then our batch failed on its tables.
      if (await schemaVersion(client) >= m.version) continue;
      throw new StoreError(`migration ${m.version} (${m.name}) failed: ${describeError(e)}`);
    }
  }
  return { from, to: Math.max(from, latest), applied };
}
