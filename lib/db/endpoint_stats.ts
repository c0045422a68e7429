/**
 * OpenRouter's own per-endpoint stats (GET /models/{author}/{slug}/endpoints), stored at most
 * once per model per OPENROUTER_SCOUT_ENDPOINT_STATS_INTERVAL_HOURS: a fetch row, and one row
 * per endpoint it listed. Kept for RETENTION_MS.
 */
import type { Client, InStatement, Row, Value } from "@libsql/client";
import type { EndpointStat } from "../openrouter/endpoints.ts";
import {
  cleanText,
  cleanTextOrNull,
  intOrNull,
  num,
  numOrNull,
  realOrNull,
  strOrNull,
} from "./values.ts";

export const ENDPOINT_STATS_RETENTION_MS = 90 * 86_400_000;

export interface EndpointFetch {
  model_id: string;
  run_id: number | null;
  /** Epoch ms. */
  fetched_at: number;
  endpoints: EndpointStat[];
}

const STAT_COLUMNS = [
  "provider_name",
  "tag",
  "name",
  "status",
  "context_length",
  "max_completion_tokens",
  "quantization",
  "uptime_5m",
  "uptime_30m",
  "uptime_1d",
  "latency_p50_ms",
  "latency_p75_ms",
  "latency_p90_ms",
  "latency_p99_ms",
  "throughput_p50",
  "throughput_p75",
  "throughput_p90",
  "throughput_p99",
] as const;

/** Stores one fetch in one transaction, and drops fetches older than the retention. */
export function insertEndpointFetch(client: Client, f: EndpointFetch): Promise<void> {
  return insertEndpointFetches(client, [f]);
}

/**
 * Stores several fetches in one write transaction (a background refresh writes them in
 * groups: one commit, not one per model), then drops fetches older than the retention.
 */
export async function insertEndpointFetches(
  client: Client,
  fetches: readonly EndpointFetch[],
): Promise<void> {
  if (fetches.length === 0) return;
  const stmts: InStatement[] = [];
  let newest = 0;
  for (const f of fetches) {
    const at = intOrNull(f.fetched_at) ?? 0;
    newest = Math.max(newest, at);
    stmts.push(...fetchStatements(f, at));
  }
  stmts.push({
    sql: "DELETE FROM endpoint_fetches WHERE fetched_at < ?",
    args: [newest - ENDPOINT_STATS_RETENTION_MS],
  });
  await client.batch(stmts, "write");
}

function fetchStatements(f: EndpointFetch, at: number): InStatement[] {
  const stmts: InStatement[] = [
    {
      sql: `INSERT INTO endpoint_fetches (model_id, run_id, fetched_at, endpoint_count)
        VALUES (?, ?, ?, ?)`,
      args: [cleanText(f.model_id), f.run_id, at, f.endpoints.length],
    },
  ];
  for (const e of f.endpoints) {
    stmts.push({
      // In one write transaction the fetch inserted just before has the highest id, so
      // `MAX(id)` names it in each of its endpoint rows.
      sql: `INSERT INTO endpoint_stats (fetch_id, ${STAT_COLUMNS.join(", ")})
        VALUES ((SELECT MAX(id) FROM endpoint_fetches), ${STAT_COLUMNS.map(() => "?").join(", ")})`,
      args: [
        cleanTextOrNull(e.provider_name),
        cleanTextOrNull(e.tag),
        cleanTextOrNull(e.name),
        intOrNull(e.status),
        intOrNull(e.context_length),
        intOrNull(e.max_completion_tokens),
        cleanTextOrNull(e.quantization),
        realOrNull(e.uptime_5m),
        realOrNull(e.uptime_30m),
        realOrNull(e.uptime_1d),
        realOrNull(e.latency_ms?.p50),
        realOrNull(e.latency_ms?.p75),
        realOrNull(e.latency_ms?.p90),
        realOrNull(e.latency_ms?.p99),
        realOrNull(e.throughput_tps?.p50),
        realOrNull(e.throughput_tps?.p75),
        realOrNull(e.throughput_tps?.p90),
        realOrNull(e.throughput_tps?.p99),
      ],
    });
  }
  return stmts;
}

/**
 * When each of `modelIds` was last fetched (epoch ms); a model never fetched is absent. One
 * index seek per id, however long the stored history.
 */
export async function lastEndpointFetchTimes(
  client: Client,
  modelIds: readonly string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (modelIds.length === 0) return out;
  const rs = await client.execute({
    sql: `SELECT j.value AS model_id,
        (SELECT MAX(f.fetched_at) FROM endpoint_fetches f WHERE f.model_id = j.value) AS at
      FROM json_each(?) j`,
    args: [JSON.stringify(modelIds.map(cleanText))],
  });
  for (const r of rs.rows) {
    const at = numOrNull(r.at);
    if (at !== null) out.set(strOrNull(r.model_id) ?? "", at);
  }
  return out;
}

/** The latest fetch of one model (or of every model), as stored. */
export interface StoredEndpointFetch extends EndpointFetch {
  fetch_id: number;
}

function toStat(r: Row): EndpointStat {
  const pct = (p50: Value, p75: Value, p90: Value, p99: Value) => {
    const v = {
      p50: numOrNull(p50),
      p75: numOrNull(p75),
      p90: numOrNull(p90),
      p99: numOrNull(p99),
    };
    return Object.values(v).every((x) => x === null) ? null : v;
  };
  return {
    name: strOrNull(r.name),
    provider_name: strOrNull(r.provider_name),
    tag: strOrNull(r.tag),
    status: numOrNull(r.status),
    context_length: numOrNull(r.context_length),
    max_completion_tokens: numOrNull(r.max_completion_tokens),
    quantization: strOrNull(r.quantization),
    uptime_5m: numOrNull(r.uptime_5m),
    uptime_30m: numOrNull(r.uptime_30m),
    uptime_1d: numOrNull(r.uptime_1d),
    latency_ms: pct(r.latency_p50_ms, r.latency_p75_ms, r.latency_p90_ms, r.latency_p99_ms),
    throughput_tps: pct(r.throughput_p50, r.throughput_p75, r.throughput_p90, r.throughput_p99),
    // Only the endpoints that serve the model as asked (free ones for `:free`) are stored.
    free: true,
  };
}

/**
 * The newest fetch of each model at or before `now` (of one model with `modelId`), with its
 * endpoints ordered by provider name.
 */
export async function latestEndpointFetches(
  client: Client,
  opts: { modelId?: string; now?: number } = {},
): Promise<StoredEndpointFetch[]> {
  const args: (string | number)[] = [opts.now ?? Number.MAX_SAFE_INTEGER];
  let where = "";
  if (opts.modelId !== undefined) {
    where = "AND f.model_id = ?";
    args.push(opts.modelId);
  }
  const [fetches, stats] = await client.batch([
    {
      sql: `SELECT f.id, f.model_id, f.run_id, f.fetched_at FROM endpoint_fetches f
        WHERE f.id = (SELECT l.id FROM endpoint_fetches l WHERE l.model_id = f.model_id
          AND l.fetched_at <= ?1 ORDER BY l.fetched_at DESC, l.id DESC LIMIT 1) ${where}
        ORDER BY f.model_id`,
      args,
    },
    {
      sql: `SELECT s.* FROM endpoint_stats s JOIN endpoint_fetches f ON f.id = s.fetch_id
        WHERE f.id = (SELECT l.id FROM endpoint_fetches l WHERE l.model_id = f.model_id
          AND l.fetched_at <= ?1 ORDER BY l.fetched_at DESC, l.id DESC LIMIT 1) ${where}
        ORDER BY s.provider_name, s.tag, s.id`,
      args,
    },
  ], "read");
  const byFetch = new Map<number, EndpointStat[]>();
  for (const r of stats.rows) {
    const id = num(r.fetch_id);
    const list = byFetch.get(id) ?? [];
    list.push(toStat(r));
    byFetch.set(id, list);
  }
  return fetches.rows.map((r) => ({
    fetch_id: num(r.id),
    model_id: strOrNull(r.model_id) ?? "",
    run_id: numOrNull(r.run_id),
    fetched_at: num(r.fetched_at),
    endpoints: byFetch.get(num(r.id)) ?? [],
  }));
}
