/**
 * Verified capabilities: every check attempt (`capability_checks`) and the latest conclusive
 * verdict per model × capability (`model_capabilities`).
 *
 * Reached through the Store as flat methods (`store.recordCapabilityCheck`,
 * `store.latestCapabilities`, `store.dueCapabilityChecks`); read models call the functions below
 * with `store.client` directly.
 *
 *   const { previous, eventId } = await recordCapabilityCheck(client, { model_id,
 *     capability: "tools", verified: false, detail: "answered in prose", category: null,
 *     fault: null, checked_at: Date.now(), run_id });
 *   // eventId: the catalog event (capability_lost) when it had been verified true before
 *
 * An inconclusive attempt (the request failed: verified NULL, `category` set) is stored but never
 * touches the verdict: an account limit or an OpenRouter outage is not a "no". It does move
 * `last_attempt_at`, so a model whose checks keep failing is not retried before the interval.
 */
import type { Client, InStatement, Row } from "@libsql/client";
import { type Capability, isCapability, shortDetail } from "../domain/capability.ts";
import type { CheckStatus, Fault } from "../domain/check.ts";
import { DATA_VERSION_BUMP } from "./data_version.ts";
import {
  bool,
  cleanText,
  cleanTextOrNull,
  intOrNull,
  num,
  numOrNull,
  str,
  strOrNull,
} from "./values.ts";

/** One attempt, as a check round hands it over. */
export interface CapabilityCheckInput {
  model_id: string;
  capability: Capability;
  /** null: inconclusive (the request failed; `category` says how). */
  verified: boolean | null;
  /** Short (cut to 120 characters), never the model's full answer. */
  detail: string | null;
  category: CheckStatus | null;
  fault: Fault | null;
  /** Epoch ms. */
  checked_at: number;
  run_id: number | null;
}

/** The latest conclusive verdict of one capability. */
export interface CapabilityVerdictRow {
  verified: boolean;
  /** Epoch ms of the deciding check. */
  checked_at: number;
  detail: string | null;
}

export type ModelCapabilities = Partial<Record<Capability, CapabilityVerdictRow>>;

/** The result of recording an attempt. */
export interface RecordedCapabilityCheck {
  id: number;
  /** The conclusive verdict before this attempt; null when there was none. */
  previous: boolean | null;
  /**
   * The catalog event written (`capability_lost` / `capability_gained`) when a conclusive
   * verdict differs from an earlier conclusive one; null otherwise. A first verdict is not an
   * event: the first round would otherwise announce every model's every capability.
   */
  eventId: number | null;
}

/**
 * Migration 9: the two tables, their data-version triggers (a verdict is something pages show;
 * an attempt alone is not), and catalog_events / alert_events rebuilt so that their `kind`
 * CHECK constraints admit `capability_lost` and `capability_gained` (SQLite cannot alter a
 * CHECK). catalog_events gains `detail` (the capability's name for those kinds).
 *
 * Both rebuilds keep every row and id (the alert cursors count ids). alert_deliveries refers to
 * alert_events with ON DELETE CASCADE and migrations run with foreign keys on, so the
 * deliveries are copied aside first and dropped: dropping alert_events then deletes nothing.
 * Shipped: freeze this text if it changes.
 */
export const CAPABILITY_SCHEMA: readonly string[] = [
  `CREATE TABLE capability_checks (
    id INTEGER PRIMARY KEY,
    model_id TEXT NOT NULL,
    capability TEXT NOT NULL,
    verified INTEGER,
    detail TEXT,
    category TEXT,
    fault TEXT,
    checked_at INTEGER NOT NULL,
    run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL
  )`,
  `CREATE INDEX idx_capability_checks_model_at ON capability_checks (model_id, checked_at)`,
  `CREATE INDEX idx_capability_checks_at ON capability_checks (checked_at)`,
  `CREATE TABLE model_capabilities (
    model_id TEXT NOT NULL,
    capability TEXT NOT NULL,
    verified INTEGER NOT NULL,
    checked_at INTEGER,
    detail TEXT,
    last_attempt_at INTEGER,
    PRIMARY KEY (model_id, capability)
  )`,
  `CREATE TRIGGER data_version_model_capabilities_insert AFTER INSERT ON model_capabilities
    BEGIN ${DATA_VERSION_BUMP} END`,
  // last_attempt_at alone (an inconclusive attempt) changes nothing a page shows.
  `CREATE TRIGGER data_version_model_capabilities_update
    AFTER UPDATE OF verified, checked_at, detail ON model_capabilities
    BEGIN ${DATA_VERSION_BUMP} END`,
  `CREATE TRIGGER data_version_model_capabilities_delete AFTER DELETE ON model_capabilities
    BEGIN ${DATA_VERSION_BUMP} END`,
  // catalog_events: nothing refers to it; rebuilt in place.
  `CREATE TABLE catalog_events_v9 (
    id INTEGER PRIMARY KEY,
    model_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('added', 'removed', 'returned', 'capability_lost',
      'capability_gained')),
    at INTEGER NOT NULL,
    run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL,
    detail TEXT
  )`,
  `INSERT INTO catalog_events_v9 (id, model_id, kind, at, run_id)
    SELECT id, model_id, kind, at, run_id FROM catalog_events`,
  `DROP TABLE catalog_events`,
  `ALTER TABLE catalog_events_v9 RENAME TO catalog_events`,
  `CREATE INDEX idx_catalog_events_model_at ON catalog_events (model_id, at)`,
  `CREATE INDEX idx_catalog_events_at ON catalog_events (at)`,
  `CREATE TRIGGER data_version_catalog_events_insert AFTER INSERT ON catalog_events
    BEGIN ${DATA_VERSION_BUMP} END`,
  // alert_events: its deliveries aside first (see above).
  `CREATE TABLE alert_deliveries_v9 AS SELECT * FROM alert_deliveries`,
  `DROP TABLE alert_deliveries`,
  `CREATE TABLE alert_events_v9 (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('model_down', 'model_recovered', 'model_added',
      'model_removed', 'model_expiring', 'capability_lost', 'capability_gained')),
    model_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    message TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}'
  )`,
  `INSERT INTO alert_events_v9 (id, kind, model_id, at, run_id, dedupe_key, title, message,
      details)
    SELECT id, kind, model_id, at, run_id, dedupe_key, title, message, details FROM alert_events`,
  `DROP TABLE alert_events`,
  `ALTER TABLE alert_events_v9 RENAME TO alert_events`,
  `CREATE INDEX idx_alert_events_at ON alert_events (at)`,
  `CREATE INDEX idx_alert_events_model_at ON alert_events (model_id, at)`,
  `CREATE TRIGGER data_version_alert_events_insert AFTER INSERT ON alert_events
    BEGIN ${DATA_VERSION_BUMP} END`,
  `CREATE TRIGGER data_version_alert_events_delete AFTER DELETE ON alert_events
    BEGIN ${DATA_VERSION_BUMP} END`,
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
  `INSERT INTO alert_deliveries (id, event_id, target, status, attempts, next_attempt_at,
      last_error, created_at, delivered_at)
    SELECT id, event_id, target, status, attempts, next_attempt_at, last_error, created_at,
      delivered_at FROM alert_deliveries_v9`,
  `DROP TABLE alert_deliveries_v9`,
  `CREATE INDEX idx_alert_deliveries_due ON alert_deliveries (status, next_attempt_at)`,
];

/**
 * Stores one attempt; a conclusive one also becomes the model's verdict, in the same
 * transaction, and a verdict that differs from the previous conclusive one writes a catalog
 * event (`capability_lost` / `capability_gained`, `detail` = the capability) there too.
 */
export async function recordCapabilityCheck(
  client: Client,
  row: CapabilityCheckInput,
): Promise<RecordedCapabilityCheck> {
  if (!isCapability(row.capability)) {
    throw new TypeError(`unknown capability: ${String(row.capability)}`);
  }
  const at = intOrNull(row.checked_at) ?? Date.now();
  const modelId = cleanText(row.model_id);
  const detail = cleanTextOrNull(shortDetail(row.detail));
  const verified = row.verified === null ? null : row.verified ? 1 : 0;
  const stmts: InStatement[] = [
    {
      sql: `SELECT verified FROM model_capabilities WHERE model_id = ? AND capability = ?`,
      args: [modelId, row.capability],
    },
    {
      sql: `INSERT INTO capability_checks (model_id, capability, verified, detail, category,
          fault, checked_at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      args: [
        modelId,
        row.capability,
        verified,
        detail,
        row.category,
        row.fault,
        at,
        row.run_id,
      ],
    },
  ];
  if (verified !== null) {
    // Before the upsert: the event reads the verdict it replaces.
    stmts.push({
      sql: `INSERT INTO catalog_events (model_id, kind, at, run_id, detail)
        SELECT ?1, CASE WHEN ?3 = 1 THEN 'capability_gained' ELSE 'capability_lost' END, ?4, ?5,
          ?2
        FROM model_capabilities WHERE model_id = ?1 AND capability = ?2 AND verified <> ?3
        RETURNING id`,
      args: [modelId, row.capability, verified, at, row.run_id],
    });
    stmts.push({
      sql: `INSERT INTO model_capabilities (model_id, capability, verified, checked_at, detail,
          last_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?4)
        ON CONFLICT (model_id, capability) DO UPDATE SET verified = excluded.verified,
          checked_at = excluded.checked_at, detail = excluded.detail,
          last_attempt_at = excluded.last_attempt_at`,
      args: [modelId, row.capability, verified, at, detail],
    });
  } else {
    // Only moves the attempt time of a verdict that exists; no verdict row is made up.
    stmts.push({
      sql: `UPDATE model_capabilities SET last_attempt_at = MAX(COALESCE(last_attempt_at, 0), ?)
        WHERE model_id = ? AND capability = ?`,
      args: [at, modelId, row.capability],
    });
  }
  const results = await client.batch(stmts, "write");
  const id = num(results[1].rows[0]?.id);
  const prevRaw = results[0].rows[0]?.verified;
  const previous = prevRaw === undefined ? null : bool(prevRaw);
  const eventId = verified === null ? null : numOrNull(results[2].rows[0]?.id);
  return { id, previous, eventId };
}

function toVerdict(r: Row): CapabilityVerdictRow {
  return {
    verified: bool(r.verified),
    checked_at: numOrNull(r.checked_at) ?? 0,
    detail: strOrNull(r.detail),
  };
}

/** The latest conclusive verdicts, per model (all models, or those listed). One query. */
export async function latestCapabilities(
  client: Pick<Client, "execute">,
  modelIds?: readonly string[],
): Promise<Map<string, ModelCapabilities>> {
  const rs = modelIds === undefined
    ? await client.execute(
      `SELECT model_id, capability, verified, checked_at, detail FROM model_capabilities`,
    )
    : await client.execute({
      sql: `SELECT model_id, capability, verified, checked_at, detail FROM model_capabilities
        WHERE model_id IN (SELECT value FROM json_each(?))`,
      args: [JSON.stringify(modelIds)],
    });
  const out = new Map<string, ModelCapabilities>();
  for (const r of rs.rows) {
    const capability = str(r.capability);
    if (!isCapability(capability)) continue;
    const modelId = str(r.model_id);
    const entry = out.get(modelId) ?? {};
    entry[capability] = toVerdict(r);
    out.set(modelId, entry);
  }
  return out;
}

/** A model × capability a round may check. */
export interface CapabilityCandidate {
  model_id: string;
  capability: Capability;
}

/**
 * Which of the candidates are due: no attempt within `intervalMs` before `now`. The attempts
 * log is read, not the verdicts, so a model whose checks keep failing waits its interval too;
 * attempts that failed on our account's limit or an OpenRouter outage do not count (the model
 * was not asked: the next round asks again). Keeps the candidates' order.
 */
export async function dueCapabilityChecks(
  client: Pick<Client, "execute">,
  candidates: readonly CapabilityCandidate[],
  now: number,
  intervalMs: number,
): Promise<CapabilityCandidate[]> {
  if (candidates.length === 0) return [];
  const rs = await client.execute({
    sql: `SELECT model_id, capability, MAX(checked_at) AS last FROM capability_checks
      WHERE checked_at > ? AND model_id IN (SELECT value FROM json_each(?))
        AND (fault IS NULL OR fault NOT IN ('account', 'openrouter'))
      GROUP BY model_id, capability`,
    args: [now - intervalMs, JSON.stringify([...new Set(candidates.map((c) => c.model_id))])],
  });
  const recent = new Set(rs.rows.map((r) => `${str(r.model_id)}\u0000${str(r.capability)}`));
  return candidates.filter((c) => !recent.has(`${c.model_id}\u0000${c.capability}`));
}

/** One stored attempt, for `scan --json` and tests. */
export interface CapabilityCheckRow extends CapabilityCheckInput {
  id: number;
}

/** Attempts of one run (or all), oldest first. */
export async function listCapabilityChecks(
  client: Pick<Client, "execute">,
  opts: { runId?: number; modelId?: string } = {},
): Promise<CapabilityCheckRow[]> {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (opts.runId !== undefined) {
    where.push("run_id = ?");
    args.push(opts.runId);
  }
  if (opts.modelId !== undefined) {
    where.push("model_id = ?");
    args.push(opts.modelId);
  }
  const rs = await client.execute({
    sql: `SELECT id, model_id, capability, verified, detail, category, fault, checked_at, run_id
      FROM capability_checks ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY id`,
    args,
  });
  return rs.rows.flatMap((r): CapabilityCheckRow[] => {
    const capability = str(r.capability);
    if (!isCapability(capability)) return [];
    const v = numOrNull(r.verified);
    return [{
      id: num(r.id),
      model_id: str(r.model_id),
      capability,
      verified: v === null ? null : v !== 0,
      detail: strOrNull(r.detail),
      category: strOrNull(r.category) as CheckStatus | null, // written from CheckStatus
      fault: strOrNull(r.fault) as Fault | null, // written from Fault
      checked_at: num(r.checked_at),
      run_id: numOrNull(r.run_id),
    }];
  });
}
