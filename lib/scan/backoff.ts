/**
 * Exponential backoff with jitter: attempt 1 waits around `baseMs`, each next one twice as
 * long, capped at `capMs`. The jitter (between half and all of the step) spreads concurrent
 * retries so they do not hit the provider together.
 */
export function backoffMs(
  retry: number,
  random: () => number,
  baseMs = 1_000,
  capMs = 30_000,
): number {
  const step = Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step * (0.5 + random() * 0.5));
}
