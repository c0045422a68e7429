/** The server's job that stores the router's counters per hour: growth only, once, retried. */
import assert from "node:assert/strict";
import { startRouterCounters } from "../../lib/cli/router_counters.ts";
import { HOUR_MS, routerHours } from "../../lib/db/router.ts";
import type { RouterStats } from "../../lib/router/router.ts";
import type { Store } from "../../lib/db/store.ts";
import { openTestStore } from "../seed.ts";

const T = Date.parse("2026-12-01T10:59:00Z");

function stats(requests: number, failovers = 0): RouterStats {
  return {
    requests,
    answered: requests,
    failovers,
    account_limit_waits: 0,
    account_limit_refusals: 0,
    per_model: {},
    last_decisions: [],
  };
}

Deno.test("router counters: each write adds the growth since the last to its hour; a failed write is retried, never counted twice", async () => {
  await using db = await openTestStore({ memory: true });
  let current = stats(2); // counted before the job started: not this job's to store
  let now = T;
  let failing = false;
  const logs: string[] = [];
  const store: Store = {
    ...db.store,
    client: new Proxy(db.store.client, {
      get(target, key, receiver) {
        if (key === "execute" && failing) return () => Promise.reject(new Error("disk full"));
        const v = Reflect.get(target, key, receiver);
        return typeof v === "function" ? v.bind(target) : v;
      },
    }),
  };
  const job = startRouterCounters({
    stats: () => current,
    store,
    log: (m) => logs.push(m),
    intervalMs: 3_600_000,
    now: () => now,
  });
  try {
    current = stats(5, 1);
    await job.flush();
    await job.flush(); // nothing grew: nothing added
    failing = true;
    current = stats(7, 2);
    await job.flush();
    assert.match(logs.join("\n"), /could not store the hour's counters: disk full/);
    failing = false;
    now = T + 2 * 60_000; // the next hour
    current = stats(8, 2);
    await job.stop();
  } finally {
    await job.stop();
  }
  const hours = await routerHours(db.store.client, 0, T + 2 * HOUR_MS);
  assert.deepEqual(hours.map((h) => [new Date(h.hour).toISOString(), h.requests, h.failovers]), [
    ["2026-12-01T10:00:00.000Z", 3, 1],
    ["2026-12-01T11:00:00.000Z", 3, 1],
  ]);
});
