/**
 * The models table and the fleet cards: one `batch("read")` of four statements covering every
 * model at once (no query per model), each walking the (model_id, checked_at) index.
 */
import type { Value } from "@libsql/client";
import type { Store } from "../db/store.ts";
import { bool, num, numOrNull, parseJson, str, strOrNull } from "../db/values.ts";
import type { CheckStatus } from "../scan/check.ts";
import { healthOf, percentile, uptimePercent } from "./health.ts";
import { statusLabel } from "./labels.ts";
import {
  iso,
  isoOrNull,
  jsonNumbers,
  rangeFrom,
  type Scope,
  scopeSql,
  sortedArraySql,
} from "./sql.ts";
import type { FleetSummary, ModelSummary } from "./types.ts";

/** Measured checks in the sparkline. */
export const SPARKLINE_LENGTH = 24;

/**
 * Every model of the table: the ones in the catalog now (`present`) first, then the ones removed
 * from it that still have checks over the last 7 days; each group sorted by id.
 */
export function modelSummaries(store: Store, now: number): Promise<ModelSummary[]> {
  return summarize(store, { kind: "table" }, now);
}

/** One model, present or not; null when neither the catalog nor any check knows it. */
export async function modelSummary(
  store: Store,
  id: string,
  now: number,
): Promise<ModelSummary | null> {
  const [one] = await summarize(store, { kind: "one", id }, now);
  return one ?? null;
}

/**
 * The dashboard's cards. The health counts cover the models in the catalog now (so they add up
 * to `total_models`); removed ones are left out.
 */
export async function fleetSummary(store: Store, now: number): Promise<FleetSummary> {
  const [models, rs] = await Promise.all([
    modelSummaries(store, now),
    store.client.execute({
      sql: `SELECT (SELECT MAX(checked_at) FROM checks WHERE checked_at <= :now) AS last_at,
          SUM(status <> 'skipped') AS measured, SUM(status = 'ok') AS ok
        FROM checks WHERE checked_at > :from AND checked_at <= :now`,
      args: { now, from: rangeFrom("24h", now) },
    }),
  ]);
  const present = models.filter((m) => m.present);
  const count = (h: ModelSummary["health"]) => present.filter((m) => m.health === h).length;
  const row = rs.rows[0];
  return {
    total_models: present.length,
    healthy_count: count("healthy"),
    degraded_count: count("degraded"),
    down_count: count("down"),
    no_data_count: count("no_data"),
    last_updated: isoOrNull(numOrNull(row?.last_at)),
    fleet_uptime_24h: uptimePercent(num(row?.ok ?? 0), num(row?.measured ?? 0)),
  };
}

async function summarize(store: Store, scope: Scope, now: number): Promise<ModelSummary[]> {
  const { ids, args: scopeArgs } = scopeSql(scope, now);
  const args = {
    ...scopeArgs,
    from24h: rangeFrom("24h", now),
    from7d: rangeFrom("7d", now),
    latest: SPARKLINE_LENGTH,
  };
  const ok24h = "c.checked_at > :from24h AND c.status = 'ok'";
  const [facts, aggregates, latest, failures] = await store.client.batch([
    {
      sql: `WITH ${ids}
        SELECT i.model_id, m.id IS NOT NULL AS known, m.name, m.context_length, m.is_router,
          m.present, m.expiration_date,
          EXISTS (SELECT 1 FROM checks c WHERE c.model_id = i.model_id) AS has_checks
        FROM ids i LEFT JOIN models m ON m.id = i.model_id
        ORDER BY COALESCE(m.present, 0) DESC, i.model_id`,
      args,
    },
    {
      sql: `WITH ${ids}
        SELECT c.model_id,
          SUM(c.checked_at > :from24h AND c.status <> 'skipped') AS measured_24h,
          SUM(${ok24h}) AS ok_24h,
          AVG(c.latency_ms) FILTER (WHERE ${ok24h}) AS avg_latency_24h,
          ${sortedArraySql("c.latency_ms", ok24h)} AS latencies_24h,
          ${sortedArraySql("c.ttft_ms", ok24h)} AS ttfts_24h,
          SUM(c.status <> 'skipped') AS measured_7d,
          SUM(c.status = 'ok') AS ok_7d
        FROM ids i
        CROSS JOIN checks c ON c.model_id = i.model_id AND c.checked_at > :from7d
          AND c.checked_at <= :now
        GROUP BY c.model_id`,
      args,
    },
    {
      // The latest measured checks of each model, oldest first, as [checked_at, status,
      // latency_ms, http_status]: the IN subquery walks the index backwards and stops after
      // :latest rows, once per model.
      sql: `WITH ${ids}
        SELECT c.model_id,
          json_group_array(json_array(c.checked_at, c.status, c.latency_ms, c.http_status)
            ORDER BY c.checked_at, c.id) AS latest
        FROM ids i
        CROSS JOIN checks c ON c.id IN (
          SELECT l.id FROM checks l
          WHERE l.model_id = i.model_id AND l.checked_at <= :now AND l.status <> 'skipped'
          ORDER BY l.checked_at DESC, l.id DESC LIMIT :latest)
        GROUP BY c.model_id`,
      args,
    },
    {
      // Failures after the latest ok check, in (checked_at, id) order; skipped ones neither
      // count nor break the streak.
      sql: `WITH ${ids},
        last_ok AS (
          SELECT i.model_id, o.checked_at AS at, o.id AS oid FROM ids i
          LEFT JOIN checks o ON o.id = (
            SELECT l.id FROM checks l
            WHERE l.model_id = i.model_id AND l.checked_at <= :now AND l.status = 'ok'
            ORDER BY l.checked_at DESC, l.id DESC LIMIT 1))
        SELECT k.model_id, (
          SELECT COUNT(*) FROM checks c
          WHERE c.model_id = k.model_id AND c.checked_at <= :now
            AND c.checked_at >= COALESCE(k.at, -9007199254740991)
            AND (k.at IS NULL OR c.checked_at > k.at OR c.id > k.oid)
            AND c.status NOT IN ('ok', 'skipped')) AS consecutive_failures
        FROM last_ok k`,
      args,
    },
  ], "read");

  const agg = new Map(aggregates.rows.map((r) => [str(r.model_id), r]));
  const recent = new Map(latest.rows.map((r) => [str(r.model_id), latestChecks(r.latest)]));
  const streak = new Map(failures.rows.map((r) => [str(r.model_id), num(r.consecutive_failures)]));

  const out: ModelSummary[] = [];
  for (const f of facts.rows) {
    const id = str(f.model_id);
    if (scope.kind === "one" && !bool(f.known) && !bool(f.has_checks)) continue;
    const a = agg.get(id);
    const checks = recent.get(id) ?? [];
    const last = checks.at(-1) ?? null;
    const measured24h = num(a?.measured_24h ?? 0);
    const uptime24h = uptimePercent(num(a?.ok_24h ?? 0), measured24h);
    const latencies = jsonNumbers(a?.latencies_24h);
    const p50 = percentile(latencies, 50);
    const consecutive = streak.get(id) ?? 0;
    const avg = numOrNull(a?.avg_latency_24h ?? null);
    out.push({
      model_id: id,
      name: strOrNull(f.name) ?? id,
      context_length: numOrNull(f.context_length),
      is_router: bool(f.is_router),
      present: bool(f.present),
      expiration_date: strOrNull(f.expiration_date),
      health: healthOf({
        // At most SPARKLINE_LENGTH: healthOf only tells 0, 1 and more apart.
        measured: checks.length,
        latestOk: last === null ? null : last.status === "ok",
        consecutiveFailures: consecutive,
        uptime24h,
        p50Latency24h: p50,
      }),
      latest_status: last && statusLabel(last.status, last.http_status),
      latest_category: last && last.status,
      latest_checked_at: last && iso(last.checked_at),
      consecutive_failures: consecutive,
      uptime_24h: uptime24h,
      uptime_7d: uptimePercent(num(a?.ok_7d ?? 0), num(a?.measured_7d ?? 0)),
      avg_latency_24h: avg === null ? null : Math.round(avg),
      p50_latency_24h: p50,
      p95_latency_24h: percentile(latencies, 95),
      p50_ttft_24h: percentile(jsonNumbers(a?.ttfts_24h), 50),
      checks_24h: measured24h,
      sparkline_data: checks.map((c) => c.status === "ok" ? c.latency_ms : null),
    });
  }
  return out;
}

interface LatestCheck {
  checked_at: number;
  status: CheckStatus;
  latency_ms: number | null;
  http_status: number | null;
}

/** Reads the `latest` column: a JSON array of [checked_at, status, latency_ms, http_status]. */
function latestChecks(v: Value | undefined): LatestCheck[] {
  const parsed = parseJson(strOrNull(v ?? null));
  if (!Array.isArray(parsed)) return [];
  const nums = (x: unknown) => typeof x === "number" ? x : null;
  return parsed.filter(Array.isArray).map(([at, status, latency, http]) => ({
    checked_at: nums(at) ?? 0,
    // Written by insertCheck, which accepts only CheckStatus values.
    status: String(status) as CheckStatus,
    latency_ms: nums(latency),
    http_status: nums(http),
  }));
}
