import assert from "node:assert/strict";
import { collectMetrics } from "../../lib/metrics/collect.ts";
import { planQuota } from "../../lib/planner/budget.ts";
import { createQuotaPlanner } from "../../lib/planner/service.ts";
import { createVirtualClock } from "../../lib/scan/clock.ts";
import { createPacer } from "../../lib/scan/pacer.ts";
import { createQuotaLedger } from "../../lib/scan/quota.ts";
import { quotaLine } from "../../components/QuotaCard.tsx";
import { parsePrometheus, valueOf } from "../metrics/parse_prometheus.ts";
import { feature, json, NOW } from "../routes/feature_helpers.ts";
import { openTestStore } from "../seed.ts";
import { FAST_SETTINGS } from "../scan/helpers.ts";

const H = 3_600_000;
const HOURLY = { kind: "interval", everyMs: H } as const;
const T = Date.UTC(2026, 10, 27, 19); // 5 h before the UTC midnight

Deno.test("the ledger: GET /key's count, less what the pacer granted since, reset at midnight", async () => {
  const clock = createVirtualClock(T);
  const quota = createQuotaLedger();
  const pacer = createPacer({ rpm: 100, delayMs: 0, clock, quota });
  assert.equal(quota.snapshot(T), null, "no reading: unknown");
  quota.record({ limit: 50, remaining: 40, used: 10 }, T);
  quota.setReserve(3);
  for (let i = 0; i < 2; i++) await pacer.acquire();
  assert.deepEqual(quota.snapshot(clock.now()), {
    limit: 50,
    remaining: 38,
    used: 12,
    resets_at: "2026-11-28T00:00:00.000Z",
    source: "key",
  });
  assert.equal(quota.left(clock.now()), 35);
  // Past midnight the day starts again, counting only the requests of the new day.
  clock.advance(6 * H);
  await pacer.acquire();
  assert.deepEqual(
    [quota.snapshot(clock.now())?.used, quota.snapshot(clock.now())?.remaining],
    [1, 49],
  );
  assert.equal(
    quotaLine(quota.snapshot(T)!, T),
    "38 of 50 free requests left today, resets in 5 h",
  );
});

Deno.test("the pacer refuses a grant once the day's quota less the reserve is spent", async () => {
  const clock = createVirtualClock(T);
  const pacer = createPacer({ rpm: 100, delayMs: 0, clock });
  pacer.quota.record({ limit: 50, remaining: 3, used: 47 }, T);
  pacer.quota.setReserve(1);
  const grants = [];
  for (let i = 0; i < 4; i++) grants.push(await pacer.acquire());
  assert.deepEqual(grants, [true, true, false, false]);
});

Deno.test("the plan: GET /key's numbers when known, else the tier's estimate", async () => {
  const base = { key: null, modelsPerScan: 3, maxRetries: 0, timing: HOURLY, now: T };
  const estimated = planQuota({ ...base, spentToday: 12 });
  assert.deepEqual(estimated.quota, {
    limit: 50,
    remaining: 38,
    used: 12,
    resets_at: "2026-11-28T00:00:00.000Z",
    source: "estimate",
  });
  const known = planQuota({
    ...base,
    quota: { limit: 1000, remaining: 990, used: 10, resets_at: "x", source: "key" },
  });
  assert.equal(known.daily_budget, 1000, "planned with the real limit, not the tier's");
  assert.equal(known.status, "ok");

  // The planner in the server: its own GET /key reading fills an empty ledger.
  const db = await openTestStore();
  try {
    const quota = createQuotaLedger();
    const planner = createQuotaPlanner({
      store: db.store,
      getKey: () =>
        Promise.resolve({
          is_free_tier: true,
          limit: null,
          limit_remaining: null,
          usage: 0,
          usage_daily: 0,
          free_model_daily_requests: { limit: 50, remaining: 7, used: 43 },
        }),
      settings: FAST_SETTINGS,
      timing: HOURLY,
      spread: false,
      log: () => {},
      now: () => T,
      quota,
    });
    const plan = await planner.check({ quiet: true }).then(() => planner.check());
    assert.equal(plan.quota.source, "key");
    assert.equal(plan.quota.remaining, 7);
  } finally {
    await db[Symbol.asyncDispose]();
  }
});

Deno.test("GET /api/summary's quota and the scouter_quota_* gauges", async () => {
  const plan = planQuota({
    key: null,
    modelsPerScan: 3,
    maxRetries: 0,
    timing: HOURLY,
    now: NOW,
    quota: {
      limit: 50,
      remaining: 38,
      used: 12,
      resets_at: "2026-11-28T00:00:00.000Z",
      source: "key",
    },
    reserve: 2,
    trafficShare: 0.25,
  });
  await using f = await feature(null, { quota: plan });
  const body = await json<{ quota: unknown }>(await f.get("/api/summary"));
  // What probes leave unspent: the reserve and ceil(0.25 × 50) for routed traffic.
  assert.deepEqual(body.quota, { ...plan.quota, kept_back: { reserve: 2, traffic: 13 } });
  const metrics = parsePrometheus(await (await f.get("/metrics")).text());
  assert.equal(valueOf(metrics, "scouter_quota_remaining", { source: "key" }), 38);
  assert.equal(valueOf(metrics, "scouter_quota_limit"), 50);
  assert.equal(valueOf(metrics, "scouter_quota_used"), 12);
  assert.equal(
    valueOf(metrics, "scouter_quota_resets_at_timestamp_seconds"),
    Date.UTC(2026, 10, 28) / 1000,
  );
  await using off = await feature(null);
  assert.equal((await json<{ quota: unknown }>(await off.get("/api/summary"))).quota, null);
  const none = await collectMetrics(off.db.store, {
    enabled: false,
    disabled_reason: "off",
    schedule: null,
    running: null,
    next_scan_at: null,
  }, NOW);
  assert.ok(!none.includes("scouter_quota_"), "no quota gauges when the quota is unknown");
});
