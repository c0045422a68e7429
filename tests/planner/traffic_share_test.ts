/** The planner's share for routed traffic: probes leave reserve + ceil(share × limit) unspent. */
import assert from "node:assert/strict";
import { planQuota } from "../../lib/planner/budget.ts";
import { prioritize } from "../../lib/router/priority.ts";
import { createVirtualClock } from "../../lib/scan/clock.ts";
import { createPacer } from "../../lib/scan/pacer.ts";
import { createQuotaLedger, keptBackOf, keptBackText } from "../../lib/scan/quota.ts";
import { QuotaCard } from "../../components/QuotaCard.tsx";
import { render } from "preact-render-to-string";

const H = 3_600_000;
const HOURLY = { kind: "interval", everyMs: H } as const;
const T = Date.UTC(2026, 10, 27, 19);
const KEY_QUOTA = {
  limit: 50,
  remaining: 50,
  used: 0,
  resets_at: "2026-11-28T00:00:00.000Z",
  source: "key" as const,
};

Deno.test("kept back: the reserve, and ceil(share × limit) for routed traffic", () => {
  assert.deepEqual(keptBackOf(50, 2, 0.25), { reserve: 2, traffic: 13 });
  assert.deepEqual(keptBackOf(1000, 0, 0.25), { reserve: 0, traffic: 250 });
  assert.deepEqual(keptBackOf(10, 0, 0), { reserve: 0, traffic: 0 });
  assert.equal(keptBackText({ reserve: 0, traffic: 0 }), "");
  assert.equal(
    keptBackText({ reserve: 2, traffic: 13 }),
    "2 for your own apps (OPENROUTER_SCOUT_QUOTA_RESERVE), " +
      "13 kept for routed traffic (OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE)",
  );
});

Deno.test("the ledger: probes stop at reserve + the traffic share, routed traffic spends all", () => {
  const quota = createQuotaLedger();
  quota.record({ limit: 10, remaining: 10, used: 0 }, T);
  quota.setReserve(1);
  quota.setTrafficShare(0.5);
  assert.equal(quota.left(T), 4);
  assert.equal(quota.left(T, true), 10);
  assert.deepEqual(quota.keptBack(T), { reserve: 1, traffic: 5 });
  // Out of range is clamped: at most 0.9 of the day is kept.
  quota.setTrafficShare(5);
  assert.equal(quota.left(T), 0);
  quota.setTrafficShare(0);
  assert.equal(quota.left(T), 9);
});

Deno.test("the shared pacer: probes refused at the share, a routed request still granted", async () => {
  const clock = createVirtualClock(T);
  const shared = createPacer({ rpm: 1_000, delayMs: 0, clock });
  shared.quota.record({ limit: 10, remaining: 10, used: 0 }, T);
  shared.quota.setTrafficShare(0.5);
  const { traffic, probes } = prioritize(shared);
  const grants: boolean[] = [];
  for (let i = 0; i < 7; i++) grants.push(await probes.acquire());
  assert.deepEqual(grants, [true, true, true, true, true, false, false]);
  assert.equal(await traffic.acquire(), true);
  assert.equal(shared.quota.snapshot(clock.now())?.remaining, 4);
  // Traffic may go on to the last request of the day.
  for (let i = 0; i < 4; i++) assert.equal(await traffic.acquire(), true);
  assert.equal(await traffic.acquire(), false);
});

Deno.test("the plan: probe_budget leaves out the reserve and routed traffic's share", () => {
  const base = {
    key: null,
    modelsPerScan: 2,
    maxRetries: 0,
    timing: HOURLY,
    now: T,
    quota: KEY_QUOTA,
  };
  const alone = planQuota(base);
  assert.equal(alone.probe_budget, 50);
  assert.equal(alone.kept_for_traffic, 0);
  assert.equal(alone.status, "ok");
  assert.equal(alone.warning, null);

  const shared = planQuota({ ...base, reserve: 2, trafficShare: 0.25 });
  assert.equal(shared.daily_budget, 50);
  assert.equal(shared.reserve, 2);
  assert.equal(shared.kept_for_traffic, 13);
  assert.equal(shared.probe_budget, 35);
  // 24 scans × 2 models = 48 requests a day: more than the 35 probes may spend.
  assert.equal(shared.requests_per_day_min, 48);
  assert.equal(shared.headroom, -13);
  assert.equal(shared.status, "over");
  assert.equal(shared.max_models_at_schedule, 1);
  assert.match(shared.warning ?? "", /probes may spend 35 of the daily free quota of 50/);
  assert.match(shared.warning ?? "", /13 kept for routed traffic/);
  assert.match(shared.warning ?? "", /lower OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE/);
});

Deno.test("the dashboard's quota card says what probes may spend", () => {
  const plan = planQuota({
    key: null,
    modelsPerScan: 1,
    maxRetries: 0,
    timing: HOURLY,
    now: T,
    quota: KEY_QUOTA,
    trafficShare: 0.25,
  });
  const html = render(QuotaCard({ plan, now: T }));
  assert.match(html, /probes may spend 37: 13 kept for routed traffic/);
  const alone = planQuota({
    key: null,
    modelsPerScan: 1,
    maxRetries: 0,
    timing: HOURLY,
    now: T,
    quota: KEY_QUOTA,
  });
  const without = render(QuotaCard({ plan: alone, now: T }));
  assert.doesNotMatch(without, /probes may spend/);
  assert.doesNotMatch(without, /Capability checks/, "no line while the rounds are off");
  const rounds = planQuota({
    key: null,
    modelsPerScan: 1,
    maxRetries: 0,
    timing: HOURLY,
    now: T,
    quota: KEY_QUOTA,
    capabilityClaims: 37,
    capabilityIntervalHours: 24,
  });
  assert.match(
    render(QuotaCard({ plan: rounds, now: T })).replace(/<[^>]+>/g, ""),
    /Capability checksup to 37 a day \(only from what the health probes leave\)/,
  );
});
