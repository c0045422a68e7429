/**
 * Time comes in as a parameter so tests can drive it (no test waits for a real minute).
 * `now` is wall-clock epoch milliseconds; `sleep` resolves early, without throwing, on abort.
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (ms <= 0 || signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    }),
};

/** A clock whose sleeps return at once and move time forward: for pacing tests. */
export function createVirtualClock(start = 0): Clock & { advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    sleep(ms, signal) {
      if (!signal?.aborted && ms > 0) t += ms;
      return Promise.resolve();
    },
  };
}
