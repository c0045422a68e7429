/**
 * Totals of a window as read from the rollups: the shape, reading one from a totals query's JSON
 * text (./rollup_sql.ts `groupedSql`), and adding the rollup part and the raw part together.
 */
import type { ResultSet } from "@libsql/client";
import type { Histogram } from "../db/histogram.ts";
import { FAILURE_STATUSES } from "../db/rollups.ts";
import { type Columns, columnsOf } from "./rollup_sql.ts";
import type { FailureStatus } from "./types.ts";

export interface Totals {
  /** null for the fleet. */
  model_id: string | null;
  /** The bucket index (from the window's origin) when grouped; 0 otherwise. */
  slot: number;
  checks: number;
  ok: number;
  /** The columns below are 0 (or empty) unless the query's `columns` asked for them. */
  skipped: number;
  /** Failed checks blamed on OpenRouter: not measured, in neither `checks` nor `failures`. */
  openrouter: number;
  failures: Record<FailureStatus, number>;
  latN: number;
  latSum: number;
  latHist: Histogram;
  ttftHist: Histogram;
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

/** The sums of two lists of totals, by model and slot; the inputs are left as they are. */
export function combine(a: readonly Totals[], b: readonly Totals[]): Totals[] {
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
    openrouter: x.openrouter + y.openrouter,
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
    openrouter: num(r.openrouter),
    failures,
    latN: num(r.lat_n),
    latSum: num(r.lat_sum),
    latHist: histogramOf(r.lat_hist),
    ttftHist: histogramOf(r.ttft_hist),
  };
}
