/**
 * Reading rollups: totals over a window (or per bucket of it) for one model, a set of models or
 * the fleet, from the daily and hourly rollups plus the raw checks of the window's partial hours
 * (./windows.ts, the SQL in ./rollup_sql.ts, the totals in ./rollup_totals.ts). Between writes,
 * the rollup part of a window is served from a cache checked against
 * `store_meta.rollups_version`, which every write to the rollups bumps.
 */
import type { InStatement, InValue, ResultSet } from "@libsql/client";
import type { Store } from "../db/store.ts";
import { PRUNED_BEFORE } from "../db/retention.ts";
import { numOrNull } from "../db/values.ts";
import {
  columnsOf,
  groupedSql,
  keysCte,
  piecesFor,
  rawRows,
  rollupRows,
  rollupScope,
  type TotalsQuery,
} from "./rollup_sql.ts";
import { combine, readTotals, type Totals } from "./rollup_totals.ts";

// For lib/stats/timeline.ts, which reads these from here.
export type { Columns, KeyScope } from "./rollup_sql.ts";
export type { Totals } from "./rollup_totals.ts";

export interface TotalsRequest {
  q: TotalsQuery;
  /** The args of its scope (`:id`, or the ids CTE's). */
  args: Record<string, InValue>;
}

/**
 * The rollup parts read lately, per client, for the rollups' version they were read at: the
 * rollups change only when a check is written (which bumps the version in the same
 * transaction), and a range's rollup part only when its hours move on, so between scans a range
 * costs the query of its partial first hour.
 */
const cache = new WeakMap<object, { version: number; parts: Map<string, Totals[]> }>();
const CACHE_ENTRIES = 64;

/**
 * Reads the totals of each request, in one batch together with `extra` statements (whose
 * results come back in `extra`). The rollup part comes from the cache when the rollups have not
 * changed; for an `ids` scope it then covers every model: callers look up theirs.
 */
export async function readTotalsBatch(
  store: Store,
  ctx: ReadContext,
  requests: readonly TotalsRequest[],
  extra: readonly InStatement[] = [],
): Promise<{ totals: Totals[][]; extra: ResultSet[] }> {
  let cached = cache.get(store.client);
  if (ctx.version !== null && cached?.version !== ctx.version) {
    cached = { version: ctx.version, parts: new Map() };
    cache.set(store.client, cached);
  }
  const statements: InStatement[] = [...extra];
  const plans = requests.map(({ q, args }) => {
    const pieces = piecesFor(q);
    const cols = columnsOf(q.columns);
    const names = cols.map(([name]) => name).join(", ");
    const [scopeKey, keys] = rollupScope(q, args);
    const key = [
      scopeKey,
      q.columns,
      q.step === undefined ? "" : `${q.step}@${q.from}`,
      JSON.stringify([pieces.hourly, pieces.daily]),
    ].join("|");
    const hit = ctx.version === null ? undefined : cached?.parts.get(key);
    const rollupAt = hit || (pieces.hourly.length === 0 && !pieces.daily)
      ? -1
      : statements.push({ sql: groupedSql(keys, rollupRows(pieces, names), q, cols), args }) - 1;
    const rawAt = pieces.raw.length === 0 ? -1 : statements.push({
      sql: groupedSql(keysCte(q.scope), rawRows(q.scope, pieces, cols), q, cols),
      args,
    }) - 1;
    return { q, key, hit, rollupAt, rawAt };
  });
  const results = statements.length ? await store.client.batch(statements, "read") : [];
  const totals = plans.map(({ q, key, hit, rollupAt, rawAt }) => {
    let rollup = hit ?? [];
    if (rollupAt >= 0) {
      rollup = readTotals(results[rollupAt], q.columns);
      if (cached && ctx.version !== null) {
        if (cached.parts.size >= CACHE_ENTRIES) cached.parts.clear();
        cached.parts.set(key, rollup);
      }
    }
    return rawAt < 0 ? rollup : combine(rollup, readTotals(results[rawAt], q.columns));
  });
  return { totals, extra: results.slice(0, extra.length) };
}

export interface ReadContext {
  /** Raw checks before this were pruned (retention.ts); null when none were. */
  pruned: number | null;
  /**
   * Whether the latest state of the models (`model_state`) describes them as of `now`: no check
   * after `now` is stored (always so for the server's clock; not when reading the past).
   */
  fresh: boolean;
  /** Bumped by every write to the rollups (null on a database that never recorded one). */
  version: number | null;
}

/** What every read needs to know first; with `id`, freshness is that model's alone. */
export async function readContext(store: Store, now: number, id?: string): Promise<ReadContext> {
  const rs = await store.client.execute({
    sql: `SELECT (SELECT value FROM store_meta WHERE name = :name) AS pruned,
      (SELECT value FROM store_meta WHERE name = 'rollups_version') AS version,
      (SELECT MAX(last_any_at) FROM model_state ${id === undefined ? "" : "WHERE model_id = :id"})
        AS latest`,
    args: id === undefined ? { name: PRUNED_BEFORE } : { name: PRUNED_BEFORE, id },
  });
  const latest = numOrNull(rs.rows[0]?.latest ?? null);
  return {
    pruned: numOrNull(rs.rows[0]?.pruned ?? null),
    fresh: latest === null || latest <= Math.floor(now),
    version: numOrNull(rs.rows[0]?.version ?? null),
  };
}

/** The window of a range ending at `now`: (now − length, now] as integer [from, to). */
export function rangeWindow(lengthMs: number, now: number): { from: number; to: number } {
  const end = Math.floor(now);
  return { from: end - lengthMs + 1, to: end + 1 };
}
