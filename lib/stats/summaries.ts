/**
 * The models table and the fleet cards, in one `batch("read")` covering every model at once: the
 * facts and latest state of each model (`model_state`: O(models)), and its 24 h and 7 d totals
 * from the rollups (lib/stats/rollup_read.ts).
 *
 * Reading the past (a `now` before the newest stored check, which the server's clock never is),
 * the latest state is not "as of now": the latest checks, the sparkline and the failure streak
 * are then read from the raw checks, as they stood at `now`.
 *
 * Not measured is not down: skipped checks and failures blamed on OpenRouter are in neither the
 * uptimes (the rollups count them apart), the streak, the latest status nor the health; a window
 * holding only such checks has a null uptime ("no data"), never 0 %.
 */
import type { InValue, Row, Value } from "@libsql/client";
import type { Store } from "../db/store.ts";
import { histogramPercentile } from "../db/histogram.ts";
import { countedFailureSql, measuredSql, STATE_SPARKLINE } from "../db/rollups.ts";
import { bool, num, numOrNull, parseJson, str, strOrNull } from "../db/values.ts";
import type { CheckStatus } from "../domain/check.ts";
import { healthOf, uptimePercent } from "./health.ts";
import { statusLabel } from "./labels.ts";
import { rangeWindow, type ReadContext, readContext, readTotalsBatch } from "./rollup_read.ts";
import type { Columns } from "./rollup_sql.ts";
import type { Totals } from "./rollup_totals.ts";
import { iso, isoOrNull, type Scope, scopeSql } from "./sql.ts";
import { type FleetSummary, type ModelSummary, RANGE_MS } from "./types.ts";

/** Measured checks in the sparkline. */
export const SPARKLINE_LENGTH = STATE_SPARKLINE;

/**
 * Every model of the table: the ones in the catalog now (`present`) first, then the ones removed
 * from it that still have checks over the last 7 days; each group sorted by id.
 */
export async function modelSummaries(store: Store, now: number): Promise<ModelSummary[]> {
  return [...await tableSummaries(store, now)];
}

/**
 * The table being computed, per store, while it is: the dashboard asks for it twice at once
 * (the table, and the cards' counts), for the same `now`; the second call waits for the first.
 */
const inFlight = new WeakMap<Store, { now: number; result: Promise<ModelSummary[]> }>();

function tableSummaries(store: Store, now: number): Promise<ModelSummary[]> {
  const running = inFlight.get(store);
  if (running && running.now === now) return running.result;
  const result = readContext(store, now).then((ctx) =>
    summarize(store, { kind: "table" }, now, ctx)
  );
  inFlight.set(store, { now, result });
  const done = () => {
    if (inFlight.get(store)?.result === result) inFlight.delete(store);
  };
  result.then(done, done);
  return result;
}

/** One model, present or not; null when neither the catalog nor any check knows it. */
export async function modelSummary(
  store: Store,
  id: string,
  now: number,
): Promise<ModelSummary | null> {
  const ctx = await readContext(store, now, id);
  const [one] = await summarize(store, { kind: "one", id }, now, ctx);
  return one ?? null;
}

/**
 * The dashboard's cards. The health counts cover the models in the catalog now (so they add up
 * to `total_models`); removed ones are left out.
 */
export async function fleetSummary(store: Store, now: number): Promise<FleetSummary> {
  const ctx = await readContext(store, now);
  const [models, { totals: [fleet], extra: [last] }] = await Promise.all([
    tableSummaries(store, now),
    readTotalsBatch(store, ctx, [{
      q: {
        scope: { kind: "fleet" },
        ...rangeWindow(RANGE_MS["24h"], now),
        prunedBefore: ctx.pruned,
        columns: "uptime",
        fresh: ctx.fresh,
      },
      args: {},
    }], [
      ctx.fresh ? "SELECT MAX(last_any_at) AS last_at FROM model_state" : {
        sql: "SELECT MAX(checked_at) AS last_at FROM checks WHERE checked_at <= ?",
        args: [now],
      },
    ]),
  ]);
  const present = models.filter((m) => m.present);
  const count = (h: ModelSummary["health"]) => present.filter((m) => m.health === h).length;
  const [day] = fleet;
  return {
    total_models: present.length,
    healthy_count: count("healthy"),
    degraded_count: count("degraded"),
    down_count: count("down"),
    no_data_count: count("no_data"),
    last_updated: isoOrNull(numOrNull(last.rows[0]?.last_at ?? null)),
    fleet_uptime_24h: uptimePercent(day?.ok ?? 0, day?.checks ?? 0),
  };
}

/** What the table shows of a model's latest measured checks. */
interface Recent {
  last: { checked_at: number; status: CheckStatus; http_status: number | null } | null;
  /** Latency of the latest (at most SPARKLINE_LENGTH) measured checks; null where one failed. */
  spark: (number | null)[];
  streak: number;
}

async function summarize(
  store: Store,
  scope: Scope,
  now: number,
  ctx: ReadContext,
): Promise<ModelSummary[]> {
  const { ids, args: scopeArgs } = scopeSql(scope, now, ctx.fresh);
  const args: Record<string, InValue> = { ...scopeArgs, latest: SPARKLINE_LENGTH };
  const totals = (range: "24h" | "7d", columns: Columns) => ({
    q: {
      scope: scope.kind === "one" ? { kind: "model" as const } : { kind: "ids" as const, cte: ids },
      ...rangeWindow(RANGE_MS[range], now),
      prunedBefore: ctx.pruned,
      columns,
      fresh: ctx.fresh,
    },
    args: scopeArgs,
  });
  const { totals: [day, week], extra: [facts, ...raw] } = await readTotalsBatch(store, ctx, [
    totals("24h", "latency"),
    totals("7d", "uptime"),
  ], [
    {
      // One JSON text (see rollup_sql.ts `groupedSql`).
      sql: `WITH ${ids}
        SELECT json_group_array(json_object('model_id', i.model_id,
            'known', m.id IS NOT NULL, 'name', m.name, 'context_length', m.context_length,
            'is_router', m.is_router, 'present', m.present, 'expiration_date', m.expiration_date,
            'has_checks', s.model_id IS NOT NULL, 'last_at', s.last_at,
            'last_status', s.last_status, 'last_http', s.last_http, 'streak', s.streak,
            'spark', s.spark)
          ORDER BY COALESCE(m.present, 0) DESC, i.model_id) AS data
        FROM ids i LEFT JOIN models m ON m.id = i.model_id
          LEFT JOIN model_state s ON s.model_id = i.model_id`,
      args: scopeArgs,
    },
    ...(ctx.fresh ? [] : rawRecentStatements(ids, args)),
  ]);

  const byId = (list: Totals[]) => new Map(list.map((t) => [t.model_id ?? "", t]));
  const days = byId(day);
  const weeks = byId(week);
  const recents = ctx.fresh ? null : rawRecent(raw[0].rows, raw[1].rows);

  const out: ModelSummary[] = [];
  const factRows = JSON.parse(String(facts.rows[0]?.data ?? "[]")) as Record<string, Value>[];
  for (const f of factRows) {
    const id = str(f.model_id);
    if (scope.kind === "one" && !bool(f.known) && !bool(f.has_checks)) continue;
    const recent = recents ? recents.get(id) ?? emptyRecent() : stateRecent(f);
    const d = days.get(id);
    const uptime24h = d ? uptimePercent(d.ok, d.checks) : null;
    const p50 = d ? histogramPercentile(d.latHist, 50) : null;
    const w = weeks.get(id);
    const last = recent.last;
    out.push({
      model_id: id,
      name: strOrNull(f.name) ?? id,
      context_length: numOrNull(f.context_length),
      is_router: bool(f.is_router),
      present: bool(f.present),
      expiration_date: strOrNull(f.expiration_date),
      health: healthOf({
        // At most SPARKLINE_LENGTH: healthOf only tells 0, 1 and more apart.
        measured: recent.spark.length,
        latestOk: last === null ? null : last.status === "ok",
        consecutiveFailures: recent.streak,
        uptime24h,
        p50Latency24h: p50,
      }),
      latest_status: last && statusLabel(last.status, last.http_status),
      latest_category: last && last.status,
      latest_checked_at: last && iso(last.checked_at),
      consecutive_failures: recent.streak,
      uptime_24h: uptime24h,
      uptime_7d: w ? uptimePercent(w.ok, w.checks) : null,
      avg_latency_24h: d && d.latN > 0 ? Math.round(d.latSum / d.latN) : null,
      p50_latency_24h: p50,
      p95_latency_24h: d ? histogramPercentile(d.latHist, 95) : null,
      p50_ttft_24h: d ? histogramPercentile(d.ttftHist, 50) : null,
      checks_24h: d?.checks ?? 0,
      sparkline_data: recent.spark,
    });
  }
  return out;
}

function emptyRecent(): Recent {
  return { last: null, spark: [], streak: 0 };
}

/** From the facts row's `model_state` columns. */
function stateRecent(f: Record<string, Value>): Recent {
  const at = numOrNull(f.last_at ?? null);
  const spark = parseJson(strOrNull(f.spark ?? null));
  return {
    last: at === null ? null : {
      checked_at: at,
      // Written by insertCheck, which accepts only CheckStatus values.
      status: str(f.last_status) as CheckStatus,
      http_status: numOrNull(f.last_http ?? null),
    },
    spark: Array.isArray(spark)
      ? spark.map((v) => typeof v === "number" ? v : null).slice(-SPARKLINE_LENGTH)
      : [],
    streak: num(f.streak ?? 0),
  };
}

/** The latest checks and the failure streak as they stood at `:now`, from the raw checks. */
function rawRecentStatements(ids: string, args: Record<string, InValue>) {
  return [
    {
      // The latest measured checks of each model (skipped ones and those blamed on OpenRouter
      // left out), oldest first, as [checked_at, status,
      // latency_ms, http_status]: the IN subquery walks the index backwards and stops after
      // :latest rows, once per model.
      sql: `WITH ${ids}
        SELECT c.model_id,
          json_group_array(json_array(c.checked_at, c.status, c.latency_ms, c.http_status)
            ORDER BY c.checked_at, c.id) AS latest
        FROM ids i
        CROSS JOIN checks c ON c.id IN (
          SELECT l.id FROM checks l
          WHERE l.model_id = i.model_id AND l.checked_at <= :now AND ${measuredSql("l")}
          ORDER BY l.checked_at DESC, l.id DESC LIMIT :latest)
        GROUP BY c.model_id`,
      args,
    },
    {
      // Failures after the latest ok check, in (checked_at, id) order; the not measured
      // (skipped, blamed on OpenRouter) neither count nor break the streak.
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
            AND ${countedFailureSql("c")}) AS consecutive_failures
        FROM last_ok k`,
      args,
    },
  ];
}

function rawRecent(latest: Row[], streaks: Row[]): Map<string, Recent> {
  const streak = new Map(streaks.map((r) => [str(r.model_id), num(r.consecutive_failures)]));
  const out = new Map<string, Recent>();
  for (const [id, n] of streak) out.set(id, { ...emptyRecent(), streak: n });
  for (const r of latest) {
    const id = str(r.model_id);
    const checks = latestChecks(r.latest);
    const last = checks.at(-1) ?? null;
    out.set(id, {
      last,
      spark: checks.map((c) => c.status === "ok" ? c.latency_ms : null),
      streak: streak.get(id) ?? 0,
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
