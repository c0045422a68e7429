/**
 * Routed traffic goes first: two views of one shared Pacer. Waiters queue here, and only one
 * at a time asks the shared pacer for a turn, traffic before probes; so a probe queued
 * behind a burst of routed requests waits for them, and a routed request never waits for
 * more than the one grant already being asked for.
 */
import type { GrantOptions, Pacer } from "../scan/pacer.ts";

export interface PrioritizedPacer {
  /** For routed requests. */
  traffic: Pacer;
  /** For the scanner's probes (pass it to the scheduler). */
  probes: Pacer;
}

interface Waiter {
  signal?: AbortSignal;
  grant: GrantOptions;
  /** The grant's time (epoch ms, as the shared pacer recorded it), or null. */
  resolve: (grantedAt: number | null) => void;
}

export function prioritize(shared: Pacer): PrioritizedPacer {
  const queues: [Waiter[], Waiter[]] = [[], []];
  let pumping = false;

  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      while (true) {
        const waiter = queues[0].shift() ?? queues[1].shift();
        if (!waiter) break;
        if (waiter.signal?.aborted) {
          waiter.resolve(null);
          continue;
        }
        waiter.resolve(await shared.acquireAt(waiter.signal, waiter.grant).catch(() => null));
      }
    } finally {
      pumping = false;
    }
  }

  /**
   * Everything but the turn-taking is the shared pacer's own (window, pauses, quota…); routed
   * traffic may spend the quota reserve, which is kept for the user's own use.
   */
  const view = (level: 0 | 1): Pacer => {
    const grant: GrantOptions = { spendReserve: level === 0 };
    const acquireAt = (signal?: AbortSignal) =>
      new Promise<number | null>((resolve) => {
        queues[level].push({ signal, grant, resolve });
        void pump();
      });
    const acquire = (signal?: AbortSignal) => acquireAt(signal).then((at) => at !== null);
    return Object.assign(Object.create(shared) as Pacer, { acquire, acquireAt });
  };
  return { traffic: view(0), probes: view(1) };
}
