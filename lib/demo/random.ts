/** A small seedable PRNG (mulberry32) and the distributions the demo history draws from. */

export interface Random {
  /** Uniform in [0, 1). */
  (): number;
}

export function prng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const between = (r: Random, lo: number, hi: number) => lo + r() * (hi - lo);

/** Standard normal (Box–Muller). */
export function normal(r: Random): number {
  const u = 1 - r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/** Log-normal with the given median and spread (sigma of the log). */
export const logNormal = (r: Random, median: number, sigma: number) =>
  median * Math.exp(sigma * normal(r));

/** Exponential waiting time with the given mean. */
export const exponential = (r: Random, mean: number) => -Math.log(1 - r()) * mean;

export const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
