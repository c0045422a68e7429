/**
 * Reading rollups: totals over a window (or per bucket of it) for one model, a set of models or
 * the fleet, from the daily and hourly rollups plus the raw checks of the window's partial hours
 * (./windows.ts). Between writes, the rollup part of a window is served from a cache checked
 * against `store_meta.rollups_version`, which every write to the rollups bumps.
 *
 * Built for speed: each span is its own range of the rollups' primary key (an OR of spans would
 * scan a model's every row); raw checks are found by time (idx_checks_time) and turned into
 * rollup-shaped rows without grouping; histograms are concatenated as text and merged here
 * (SQLite's JSON functions cost more than the rest of the query); and only the columns a caller
 * needs are summed. The window's bounds are computed here and written into the SQL as integer
 * literals (never user input), which also keeps libsql from binding them as REAL.
 */
import type { InStatement, InValue, ResultSet } from "@libsql/client";
import type { Store } from "../db/store.ts";
import { binSql, type Histogram } from "../db/histogram.ts";
import { PRUNED_BEFORE } from "../db/retention.ts";
import { DAY_MS, FAILURE_STATUSES, FLEET_KEY, floorSql, GRAINS, HOUR_MS } from "../db/rollups.ts";
import { numOrNull } from "../db/values.ts";
import type { FailureStatus } from "./types.ts";
import { type Pieces, piecesOf, type Span } from "./windows.ts";

/**
 * Which rollup rows: the fleet's, one model's (arg `:id`), or those of the models of an `ids`
 * CTE (a `WITH` entry `ids(model_id) AS (…)`, whose args the caller passes).
 */
export type KeyScope = { kind: "fleet" } | { kind: "model" } | { kind: "ids"; cte: string };

export interface Totals {
  /** null for the fleet. */
  model_id: string | null;
  /** The bucket index (from the window's origin) when grouped; 0 otherwise. */
  slot: number;
  checks: number;
  ok: number;
  /** The columns below are 0 (or empty) unless the query's `columns` asked for them. */
  skipped: number;
  failures: Record<FailureStatus, number>;
  latN: number;
  latSum: number;
  latHist: Histogram;
  ttftHist: Histogram;
}

/**
 * What to sum: `uptime` (checks, ok), `latency` (and the latency count and sum, both
 * histograms), `all` (and skipped and every failure category).
 */
export type Columns = "uptime" | "latency" | "all";

export interface TotalsQuery {
  scope: KeyScope;
  /** The window [from, to), integer ms. */
  from: number;
  to: number;
  /** See windows.ts; from `readContext`. */
  prunedBefore: number | null;
  columns: Columns;
  /** Group by buckets of `step` counted from `from` (a whole hour, or a whole day when `step` is days). */
  step?: number;
  /**
   * No check after the window is stored (`readContext`'s `fresh`): the window's last hour and
   * day are then read whole from their rollups (kept current by every insert), never from raw
   * checks.
   */
  fresh: boolean;
}

function keysCte(scope: KeyScope): string {
  switch (scope.kind) {
    case "fleet":
      return `keys(mk, model_id) AS (SELECT ${FLEET_KEY}, NULL)`;
    case "model":
      return `keys(mk, model_id) AS (SELECT key, model_id FROM model_keys WHERE model_id = :id)`;
    case "ids":
      return `${scope.cte},
        keys(mk, model_id) AS MATERIALIZED (
          SELECT k.key, k.model_id FROM ids i JOIN model_keys k ON k.model_id = i.model_id)`;
  }
}

const int = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer time: ${n}`);
  return String(n);
};

const measured = ["ok", ...FAILURE_STATUSES].map((s) => `'${s}'`).join(", ");

/** The summed columns, and how a raw check (alias `c`) contributes to each. */
function columnsOf(columns: Columns): [string, string][] {
  const ok = "c.status = 'ok'";
  const histOf = (col: string) =>
    `CASE WHEN ${ok} AND ${col} IS NOT NULL
      THEN '{"' || ${binSql(col)} || '":[1,' || ${col} || ']}' END`;
  const out: [string, string][] = [
    ["checks", `c.status IN (${measured})`],
    ["ok", ok],
  ];
  if (columns !== "uptime") {
    out.push(
      ["lat_n", `${ok} AND c.latency_ms IS NOT NULL`],
      ["lat_sum", `CASE WHEN ${ok} THEN COALESCE(c.latency_ms, 0) ELSE 0 END`],
      ["lat_hist", histOf("c.latency_ms")],
      ["ttft_hist", histOf("c.ttft_ms")],
    );
  }
  if (columns === "all") {
    out.push(["skipped", "c.status = 'skipped'"]);
    for (const s of FAILURE_STATUSES) out.push([`n_${s}`, `c.status = '${s}'`]);
  }
  return out;
}

/** Rollup rows of the hourly and daily spans, for the models of `keys`. */
function rollupRows(p: Pieces, names: string): string[] {
  const rollups = (grain: number, [a, b]: Span) =>
    `SELECT model_key AS mk, bucket, ${names} FROM rollups
      WHERE model_key IN (SELECT mk FROM keys) AND grain = ${grain}
        AND bucket >= ${int(a)} AND bucket < ${int(b)}`;
  return [
    ...p.hourly.map((span) => rollups(GRAINS.hourly.code, span)),
    ...(p.daily ? [rollups(GRAINS.daily.code, p.daily)] : []),
  ];
}

/** Raw checks of the raw spans as rollup-shaped rows, for the models of `keys`. */
function rawRows(scope: KeyScope, p: Pieces, cols: [string, string][]): string[] {
  return p.raw.map(([a, b]) => {
    // Checks by time (the unary + keeps SQLite off the per-model index).
    const own = scope.kind === "fleet" ? "" : "k.model_id = +c.model_id AND";
    return `SELECT k.mk, ${floorSql("c.checked_at", HOUR_MS)} AS bucket,
        ${cols.map(([name, expr]) => `${expr} AS ${name}`).join(", ")}
      FROM checks c CROSS JOIN keys k
      WHERE ${own} c.checked_at >= ${int(a)} AND c.checked_at < ${int(b)}`;
  });
}

/**
 * The totals of `parts` (rollup-shaped row selects), grouped by model and slot, as one JSON text
 * `[[model_id, slot, …columns], …]` built as text: libsql converts each cell of a result into a
 * JavaScript value at a cost that, over a hundred models, outweighed the query, and SQLite's JSON
 * functions would parse the histograms again.
 */
function groupedSql(keys: string, parts: string[], q: TotalsQuery, cols: [string, string][]) {
  const slot = q.step === undefined ? "0" : `(bucket - ${int(q.from)}) / ${int(q.step)}`;
  const sums = cols.map(([name]) =>
    name.endsWith("_hist")
      ? `'[' || group_concat(${name}) || ']' AS ${name}`
      : `SUM(${name}) AS ${name}`
  );
  const fields = ["slot", ...cols.map(([name]) => name)].map((n) =>
    n.endsWith("_hist") ? `json_quote(COALESCE(a.${n}, ''))` : `COALESCE(a.${n}, 0)`
  );
  return `WITH ${keys}, rows AS (${parts.join("\n      UNION ALL ")})
    SELECT '[' || group_concat('[' || json_quote(k.model_id) || ',' || ${
    fields.join(" || ',' || ")
  } || ']') || ']' AS data
    FROM (SELECT mk, ${slot} AS slot, ${sums.join(", ")} FROM rows GROUP BY mk, slot) a
    JOIN keys k ON k.mk = a.mk`;
}

/** The window's pieces: with `fresh`, its last hour and day run to their ends. */
function piecesFor(q: TotalsQuery): Pieces {
  // Daily rows only where buckets are whole days (or there are none).
  const days = q.step === undefined || q.step % DAY_MS === 0;
  const grain = days ? DAY_MS : HOUR_MS;
  const to = q.fresh ? Math.ceil(q.to / grain) * grain : q.to;
  return piecesOf(q.from, to, { days, prunedBefore: q.prunedBefore });
}

/** The totals of a `groupedSql` result for `columns`. */
export function readTotals(rs: ResultSet, columns: Columns): Totals[] {
  const data = rs.rows[0]?.data;
  if (typeof data !== "string") return [];
  const names = ["model_id", "slot", ...columnsOf(columns).map(([name]) => name)];
  return (JSON.parse(data) as unknown[][]).map((row) =>
    toTotals(Object.fromEntries(names.map((name, i) => [name, row[i]])))
  );
}

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

/** The rollup part's key, and its keys CTE: every model's (filtered by the caller) for `ids`. */
function rollupScope(q: TotalsQuery, args: Record<string, InValue>): [string, string] {
  switch (q.scope.kind) {
    case "fleet":
      return ["fleet", keysCte(q.scope)];
    case "model":
      return [`model:${String(args.id)}`, keysCte(q.scope)];
    case "ids":
      return ["all", "keys(mk, model_id) AS (SELECT key, model_id FROM model_keys)"];
  }
}

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

/** The sums of two lists of totals, by model and slot; the inputs are left as they are. */
function combine(a: readonly Totals[], b: readonly Totals[]): Totals[] {
  const at = (t: Totals) => `${t.model_id ?? ""}|${t.slot}`;
  const out = new Map(a.map((t) => [at(t), t]));
  for (const t of b) {
    const prev = out.get(at(t));
    out.set(at(t), prev ? add(prev, t) : t);
  }
  return [...out.values()];
}

function add(x: Totals, y: Totals): Totals {
  const failures = { ...x.failures };
  for (const s of FAILURE_STATUSES) failures[s] += y.failures[s];
  const hist = (a: Histogram, b: Histogram) => {
    const out: Histogram = new Map([...a].map(([k, v]) => [k, { ...v }]));
    for (const [k, v] of b) {
      const prev = out.get(k);
      if (prev) {
        prev.n += v.n;
        prev.sum += v.sum;
      } else out.set(k, { ...v });
    }
    return out;
  };
  return {
    model_id: x.model_id,
    slot: x.slot,
    checks: x.checks + y.checks,
    ok: x.ok + y.ok,
    skipped: x.skipped + y.skipped,
    failures,
    latN: x.latN + y.latN,
    latSum: x.latSum + y.latSum,
    latHist: hist(x.latHist, y.latHist),
    ttftHist: hist(x.ttftHist, y.ttftHist),
  };
}

/** One `"bin":[count,sum]` entry of a stored histogram. */
const ENTRY = /"(\d+)":\[(\d+),(-?[\d.eE+-]+)\]/g;

/**
 * Merges a `'[' || group_concat(hist) || ']'` column: stored histograms one after the other.
 * Scanned with a regular expression: parsing them as JSON cost more than the query.
 */
function histogramOf(text: unknown): Histogram {
  const out: Histogram = new Map();
  if (typeof text !== "string") return out;
  for (const [, key, count, total] of text.matchAll(ENTRY)) {
    const bin = Number(key);
    const n = Number(count);
    const sum = Number(total);
    if (!(n > 0) || !Number.isFinite(sum)) continue;
    const prev = out.get(bin);
    if (prev) {
      prev.n += n;
      prev.sum += sum;
    } else out.set(bin, { n, sum });
  }
  return out;
}

function toTotals(r: Record<string, unknown>): Totals {
  const num = (v: unknown) => typeof v === "number" ? v : 0;
  const failures = {} as Record<FailureStatus, number>;
  for (const s of FAILURE_STATUSES) failures[s] = num(r[`n_${s}`]);
  return {
    model_id: typeof r.model_id === "string" ? r.model_id : null,
    slot: num(r.slot),
    checks: num(r.checks),
    ok: num(r.ok),
    skipped: num(r.skipped),
    failures,
    latN: num(r.lat_n),
    latSum: num(r.lat_sum),
    latHist: histogramOf(r.lat_hist),
    ttftHist: histogramOf(r.ttft_hist),
  };
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
