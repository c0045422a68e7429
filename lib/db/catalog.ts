/** The free-model catalog as last seen, and the log of models coming and going. */
import type { Client, InValue, Row } from "@libsql/client";
import type { CatalogModel, ReasoningInfo } from "../openrouter/types.ts";
import { clampLimit } from "./runs.ts";
import {
  bool,
  cleanText,
  cleanTextOrNull,
  intOrNull,
  jsonStrings,
  num,
  numOrNull,
  parseJson,
  str,
  strOrNull,
} from "./values.ts";

export interface ModelRow {
  id: string;
  name: string;
  description: string | null;
  context_length: number | null;
  input_modalities: string[];
  output_modalities: string[];
  supported_parameters: string[];
  expiration_date: string | null;
  /** Epoch seconds, as OpenRouter sends it. */
  created: number | null;
  is_router: boolean;
  reasoning: ReasoningInfo | null;
  first_seen_at: number;
  last_seen_at: number;
  /** In the latest successful catalog. */
  present: boolean;
  removed_at: number | null;
}

export type CatalogEventKind =
  | "added"
  | "removed"
  | "returned"
  // A verified capability changed (migration 9; `detail` names the capability).
  | "capability_lost"
  | "capability_gained";

export interface CatalogEventRow {
  id: number;
  model_id: string;
  kind: CatalogEventKind;
  at: number;
  run_id: number | null;
  /** capability_lost / capability_gained: the capability; null for the other kinds. */
  detail?: string | null;
}

/** Model ids per event kind, each sorted. */
export interface CatalogDiff {
  added: string[];
  removed: string[];
  returned: string[];
}

const MODEL_COLUMNS = `id, name, description, context_length, input_modalities,
  output_modalities, supported_parameters, expiration_date, created, is_router, reasoning,
  first_seen_at, last_seen_at, present, removed_at`;

export function toModelRow(r: Row): ModelRow {
  return {
    id: str(r.id),
    name: str(r.name),
    description: strOrNull(r.description),
    context_length: numOrNull(r.context_length),
    input_modalities: jsonStrings(r.input_modalities),
    output_modalities: jsonStrings(r.output_modalities),
    supported_parameters: jsonStrings(r.supported_parameters),
    expiration_date: strOrNull(r.expiration_date),
    created: numOrNull(r.created),
    is_router: bool(r.is_router),
    reasoning: toReasoning(parseJson(strOrNull(r.reasoning))),
    first_seen_at: num(r.first_seen_at),
    last_seen_at: num(r.last_seen_at),
    present: bool(r.present),
    removed_at: numOrNull(r.removed_at),
  };
}

function toReasoning(v: unknown): ReasoningInfo | null {
  if (typeof v !== "object" || v === null) return null;
  const o = v as Record<string, unknown>;
  const efforts = Array.isArray(o.supported_efforts) ? o.supported_efforts : [];
  return {
    mandatory: o.mandatory === true,
    supported_efforts: efforts.filter((x): x is string => typeof x === "string"),
  };
}

export function toEventRow(r: Row): CatalogEventRow {
  return {
    id: num(r.id),
    model_id: str(r.model_id),
    kind: str(r.kind) as CatalogEventKind, // CHECK constraint in the schema
    at: num(r.at),
    run_id: numOrNull(r.run_id),
    detail: strOrNull(r.detail),
  };
}

/** One catalog entry as the sync SQL reads it from JSON: text already cleaned, arrays as JSON. */
function toPayload(m: CatalogModel): Record<string, string | number | null> {
  const texts = (xs: readonly string[]) => JSON.stringify((xs ?? []).map(cleanText));
  return {
    id: cleanText(m.id),
    name: cleanText(m.name ?? m.id),
    description: cleanTextOrNull(m.description),
    context_length: intOrNull(m.context_length),
    input_modalities: texts(m.input_modalities),
    output_modalities: texts(m.output_modalities),
    supported_parameters: texts(m.supported_parameters),
    expiration_date: cleanTextOrNull(m.expiration_date),
    created: intOrNull(m.created),
    is_router: m.is_router ? 1 : 0,
    reasoning: m.reasoning
      ? JSON.stringify({
        mandatory: m.reasoning.mandatory === true,
        supported_efforts: (m.reasoning.supported_efforts ?? []).map(cleanText),
      })
      : null,
  };
}

const INCOMING = `incoming AS (SELECT json_extract(value, '$.id') AS id FROM json_each(:catalog))`;

/** Field list of the upsert, in column order; each is read from the JSON entry of that name. */
const FACTS = [
  "name",
  "description",
  "context_length",
  "input_modalities",
  "output_modalities",
  "supported_parameters",
  "expiration_date",
  "created",
  "is_router",
  "reasoning",
];

/**
 * Records a complete, successfully fetched free catalog: upserts every model's facts, advances
 * `last_seen_at`, flags the missing ones as removed and logs `added` / `removed` / `returned`.
 *
 * An empty list is refused (nothing changes, the diff is empty): OpenRouter never drops every
 * free model at once, so an empty catalog means a glitch upstream or in filtering, and taking it
 * at face value would mark every model removed and log a flood of false removed/returned events.
 *
 * The diff is computed by SQL inside one write transaction (a single batch), so two processes
 * syncing at once cannot both log the same event.
 */
export async function syncCatalog(
  client: Client,
  free: readonly CatalogModel[],
  at: number,
  runId: number | null,
): Promise<CatalogDiff> {
  const byId = new Map<string, Record<string, string | number | null>>();
  for (const m of free) {
    if (typeof m?.id !== "string" || m.id === "") continue;
    byId.set(cleanText(m.id), toPayload(m));
  }
  if (byId.size === 0) return { added: [], removed: [], returned: [] };

  const args: Record<string, InValue> = {
    catalog: JSON.stringify([...byId.values()]),
    at: intOrNull(at),
    run: runId,
  };
  const [added, returned, removed] = await client.batch([
    {
      sql: `WITH ${INCOMING}
        INSERT INTO catalog_events (model_id, kind, at, run_id)
        SELECT i.id, 'added', :at, :run FROM incoming i
        WHERE NOT EXISTS (SELECT 1 FROM models m WHERE m.id = i.id)
        RETURNING model_id`,
      args,
    },
    {
      sql: `WITH ${INCOMING}
        INSERT INTO catalog_events (model_id, kind, at, run_id)
        SELECT m.id, 'returned', :at, :run FROM models m JOIN incoming i ON i.id = m.id
        WHERE m.present = 0
        RETURNING model_id`,
      args,
    },
    {
      sql: `WITH ${INCOMING}
        INSERT INTO catalog_events (model_id, kind, at, run_id)
        SELECT m.id, 'removed', :at, :run FROM models m
        WHERE m.present = 1 AND m.id NOT IN (SELECT id FROM incoming)
        RETURNING model_id`,
      args,
    },
    {
      sql: `WITH ${INCOMING}
        UPDATE models SET present = 0, removed_at = :at
        WHERE present = 1 AND id NOT IN (SELECT id FROM incoming)`,
      args,
    },
    {
      // `WHERE true` resolves SQLite's parsing ambiguity of INSERT ... SELECT ... ON CONFLICT.
      sql: `INSERT INTO models (id, ${FACTS.join(", ")}, first_seen_at, last_seen_at, present,
          removed_at)
        SELECT json_extract(value, '$.id'),
          ${FACTS.map((f) => `json_extract(value, '$.${f}')`).join(", ")},
          :at, :at, 1, NULL
        FROM json_each(:catalog) WHERE true
        ON CONFLICT (id) DO UPDATE SET
          ${FACTS.map((f) => `${f} = excluded.${f}`).join(", ")},
          last_seen_at = excluded.last_seen_at, present = 1, removed_at = NULL`,
      args,
    },
  ], "write");
  const ids = (rows: readonly Row[]) => rows.map((r) => str(r.model_id)).sort();
  return { added: ids(added.rows), removed: ids(removed.rows), returned: ids(returned.rows) };
}

export async function listModels(
  client: Client,
  opts: { presentOnly?: boolean } = {},
): Promise<ModelRow[]> {
  const rs = await client.execute(
    `SELECT ${MODEL_COLUMNS} FROM models ${opts.presentOnly ? "WHERE present = 1" : ""}
      ORDER BY id`,
  );
  return rs.rows.map(toModelRow);
}

export async function getModel(client: Client, id: string): Promise<ModelRow | null> {
  const rs = await client.execute({
    sql: `SELECT ${MODEL_COLUMNS} FROM models WHERE id = ?`,
    args: [id],
  });
  return rs.rows.length ? toModelRow(rs.rows[0]) : null;
}

/** Newest first. */
export async function listEvents(
  client: Client,
  opts: { modelId?: string; limit?: number } = {},
): Promise<CatalogEventRow[]> {
  const args: InValue[] = [];
  let where = "";
  if (opts.modelId !== undefined) {
    where = "WHERE model_id = ?";
    args.push(opts.modelId);
  }
  args.push(clampLimit(opts.limit));
  const rs = await client.execute({
    sql: `SELECT id, model_id, kind, at, run_id, detail FROM catalog_events ${where}
      ORDER BY at DESC, id DESC LIMIT ?`,
    args,
  });
  return rs.rows.map(toEventRow);
}
