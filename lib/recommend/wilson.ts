/**
 * The Wilson score interval's lower bound: a success rate that respects sample size. 3 of 3
 * ok scores lower than 95 of 100, because three checks prove less. z = 1.96 (95 % confidence).
 */
export function wilsonLowerBound(ok: number, n: number, z = 1.96): number {
  if (n <= 0) return 0;
  const p = Math.min(1, Math.max(0, ok / n));
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n);
  return Math.max(0, (centre - margin) / (1 + z2 / n));
}
