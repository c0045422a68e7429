/**
 * Latency histograms with fixed log-scale bins, so that percentiles can be read from rollups.
 *
 * Bin 0 holds values below 1 ms; bin k ≥ 1 holds [1.05^(k−1), 1.05^k): every bin is 5 % wide,
 * from 1 ms up to bin MAX_BIN (≈ 37 min, far beyond any timeout), which also takes anything
 * larger. A histogram is stored sparse, as JSON text `{"<bin>": [count, sum], …}`; the sum makes
 * the estimate of a bin the mean of its values.
 *
 * Error bound: a percentile read from a histogram is the mean of the values in the bin holding
 * the exact nearest-rank value v, so it lies in the same 5 %-wide bin: |estimate − v| < 5 % of v
 * (plus ½ ms for rounding to whole milliseconds). When the values of that bin are all equal, as
 * with few checks, it is exact.
 */

export const BIN_RATIO = 1.05;
export const MAX_BIN = 300;
/** ln(1.05), written out so that SQL and JavaScript divide by the same number. */
const LN_RATIO = Math.log(BIN_RATIO);

/** The bin of a value, as the SQL of `binSql` computes it. */
export function binOf(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(MAX_BIN, Math.floor(Math.log(ms) / LN_RATIO) + 1);
}

/** SQL for the bin of a non-null column (SQLite's math functions: `ln`). */
export function binSql(col: string): string {
  return `CASE WHEN ${col} < 1 THEN 0 ELSE MIN(${MAX_BIN}, CAST(ln(${col}) / ${LN_RATIO} AS INTEGER) + 1) END`;
}

/** The lower bound of bin k (0 for bin 0). */
export function binStart(k: number): number {
  return k <= 0 ? 0 : BIN_RATIO ** (k - 1);
}

/** Relative width of a bin: the bound on a percentile's error, as a fraction of the value. */
export const PERCENTILE_ERROR = BIN_RATIO - 1;

/** Count and sum of the values per bin. */
export type Histogram = Map<number, { n: number; sum: number }>;

/** Reads the stored JSON; anything damaged or missing reads as an empty histogram. */
export function parseHistogram(text: unknown): Histogram {
  const out: Histogram = new Map();
  if (typeof text !== "string" || text === "") return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return out;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return out;
  for (const [key, value] of Object.entries(parsed)) {
    const bin = Number(key);
    if (!Number.isInteger(bin) || !Array.isArray(value)) continue;
    const [n, sum] = value;
    if (typeof n !== "number" || typeof sum !== "number" || n <= 0) continue;
    const prev = out.get(bin);
    out.set(bin, prev ? { n: prev.n + n, sum: prev.sum + sum } : { n, sum });
  }
  return out;
}

/**
 * The nearest-rank percentile `p` (0–100) as health.ts `percentile` defines it, estimated from a
 * histogram (see the error bound above); null when it is empty.
 */
export function histogramPercentile(h: Histogram, p: number): number | null {
  let total = 0;
  for (const { n } of h.values()) total += n;
  if (total === 0) return null;
  const rank = Math.min(total, Math.max(1, Math.ceil((p / 100) * total)));
  let seen = 0;
  for (const bin of [...h.keys()].sort((a, b) => a - b)) {
    const { n, sum } = h.get(bin)!;
    seen += n;
    if (seen >= rank) return Math.round(sum / n);
  }
  return null;
}
