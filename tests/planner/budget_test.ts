import assert from "node:assert/strict";
import { planQuota, scansPerDay, tierOf } from "../../lib/planner/budget.ts";
import type { KeyInfo } from "../../lib/openrouter/types.ts";

const NOW = Date.UTC(2026, 10, 27, 10, 30);
const HOUR = { kind: "interval", everyMs: 3_600_000 } as const;
const key = (free: boolean | null): KeyInfo => ({
  is_free_tier: free,
  limit: null,
  limit_remaining: null,
  usage: 0,
  usage_daily: 0,
});

Deno.test("scans a day: interval and cron", () => {
  assert.equal(scansPerDay(HOUR, NOW), 24);
  assert.equal(scansPerDay({ kind: "interval", everyMs: 6 * 3_600_000 }, NOW), 4);
  assert.equal(scansPerDay({ kind: "interval", everyMs: 30 * 60_000 }, NOW), 48);
  assert.equal(scansPerDay({ kind: "cron", expression: "0 * * * *" }, NOW), 24);
  assert.equal(scansPerDay({ kind: "cron", expression: "*/15 * * * *" }, NOW), 96);
  assert.equal(scansPerDay({ kind: "cron", expression: "0 6,18 * * *" }, NOW), 2);
  assert.equal(scansPerDay({ kind: "cron", expression: "* * * * *" }, NOW), 1440);
});

Deno.test("the tier decides the budget; unknown is planned as free", () => {
  assert.equal(tierOf(null), "unknown");
  assert.equal(tierOf(key(null)), "unknown");
  assert.equal(tierOf(key(true)), "free");
  assert.equal(tierOf(key(false)), "credits");
  assert.equal(
    planQuota({ key: null, modelsPerScan: 1, maxRetries: 0, timing: HOUR, now: NOW }).daily_budget,
    50,
  );
  assert.equal(
    planQuota({ key: key(false), modelsPerScan: 1, maxRetries: 0, timing: HOUR, now: NOW })
      .daily_budget,
    1000,
  );
});

Deno.test("hourly scans of 30 models on a free account: over, with the fixes named", () => {
  const p = planQuota({
    key: key(true),
    modelsPerScan: 30,
    maxRetries: 2,
    timing: HOUR,
    now: NOW,
    spentToday: 12,
  });
  assert.equal(p.requests_per_day_min, 720);
  assert.equal(p.requests_per_day_max, 2160);
  assert.equal(p.headroom, 50 - 720);
  assert.equal(p.status, "over");
  assert.equal(p.max_models_at_schedule, 2); // floor(50 / 24)
  assert.equal(p.min_interval_hours, 14.4); // 24 × 30 / 50
  assert.equal(p.spent_today, 12);
  assert.equal(
    p.warning,
    "The schedule sends about 720 requests a day (30 models a scan) but the daily free quota " +
      "is 50: scans will stop early. To fit, check at most 2 models (OPENROUTER_SCOUT_MAX_MODELS), " +
      "scan every 14.4 h or less often, set OPENROUTER_SCOUT_SPREAD_CHECKS=true, or buy 10 " +
      "credits (1000 requests a day).",
  );
});

Deno.test("ok, tight and over at the edges", () => {
  const base = { key: key(false), maxRetries: 2, timing: HOUR, now: NOW };
  // 1000 a day: 13 models × 24 = 312, × 3 = 936 fits with every retry.
  assert.equal(planQuota({ ...base, modelsPerScan: 13 }).status, "ok");
  // 14 × 24 = 336, × 3 = 1008: fits only without many retries.
  const tight = planQuota({ ...base, modelsPerScan: 14 });
  assert.deepEqual([tight.status, tight.warning], ["tight", null]);
  // 41 × 24 = 984 fits once; 42 × 24 = 1008 does not.
  assert.equal(planQuota({ ...base, modelsPerScan: 41, maxRetries: 0 }).status, "ok");
  assert.equal(planQuota({ ...base, modelsPerScan: 42, maxRetries: 0 }).status, "over");
  // More models than the whole budget: no interval fits.
  const huge = planQuota({ ...base, key: key(true), modelsPerScan: 60 });
  assert.equal(huge.min_interval_hours, null);
  assert.doesNotMatch(huge.warning ?? "", /scan every/);
});

Deno.test("spread mode plans the spread checks, not scans × models", () => {
  const p = planQuota({
    key: key(true),
    modelsPerScan: 30,
    maxRetries: 2,
    timing: HOUR,
    now: NOW,
    spreadChecksPerDay: 40,
  });
  assert.equal(p.mode, "spread");
  assert.equal(p.requests_per_day_min, 40);
  assert.equal(p.requests_per_day_max, 120);
  assert.equal(p.status, "tight");
  assert.equal(p.warning, null);
});
