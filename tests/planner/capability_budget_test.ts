import assert from "node:assert/strict";
import {
  capabilityAllowance,
  capabilityRequestsPerDay,
} from "../../lib/planner/capability_budget.ts";
import { scheduledCapabilities } from "../../lib/cli/capability_setup.ts";
import { createQuotaLedger } from "../../lib/scan/quota.ts";

const NOON = Date.UTC(2026, 11, 7, 12);

Deno.test("the allowance is what is left after the health probes still planned today", () => {
  // 20 models an hour = 480 a day; half the day is left: 240 still planned.
  assert.equal(capabilityAllowance({ left: 300, healthRequestsPerDay: 480, now: NOON }), 60);
  assert.equal(capabilityAllowance({ left: 200, healthRequestsPerDay: 480, now: NOON }), 0);
  assert.equal(capabilityAllowance({ left: 40, healthRequestsPerDay: 0, now: NOON }), 40);
  assert.equal(capabilityAllowance({ left: null, healthRequestsPerDay: 480, now: NOON }), null);
});

Deno.test("a day's capability requests: claims once per interval", () => {
  assert.equal(capabilityRequestsPerDay(37, 24), 37);
  assert.equal(capabilityRequestsPerDay(37, 12), 74);
  assert.equal(capabilityRequestsPerDay(37, 48), 19);
  assert.equal(capabilityRequestsPerDay(37, 0), 0);
});

Deno.test("serve's round: off at interval 0, else the planner's allowance from the ledger", async () => {
  const quota = createQuotaLedger();
  const plan = () => Promise.resolve({ requests_per_day_min: 24 } as never);
  assert.equal(scheduledCapabilities({ capabilityIntervalHours: 0 }, { plan }, quota), null);
  const round = scheduledCapabilities({ capabilityIntervalHours: 24 }, { plan }, quota, () => NOON);
  assert.equal(round?.intervalHours, 24);
  quota.record({ limit: 50, remaining: 30, used: 20 }, NOON);
  assert.equal(await round?.allowance?.(), 30 - 12);
});
