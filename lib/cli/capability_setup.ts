/**
 * The capability round's settings as each command runs it:
 * - `serve`: after every scheduled scan, the pairs due (at most once per model × capability per
 *   OPENROUTER_SCOUT_CAPABILITY_INTERVAL_HOURS), within what the day's quota has left after the
 *   health probes still planned (lib/planner/capability_budget.ts); 0 turns it off;
 * - `scan --capabilities`: after the health probes, every claimed pair now, whatever the
 *   interval, still within the quota (the pacer's reserve and limits hold); a plain `scan`
 *   sends no capability request.
 */
import type { Config } from "../config/settings.ts";
import { capabilityAllowance } from "../planner/capability_budget.ts";
import type { QuotaPlanner } from "../planner/service.ts";
import type { CapabilityRoundSettings } from "../scan/capabilities/round.ts";
import type { QuotaLedger } from "../scan/quota.ts";

export function scheduledCapabilities(
  config: Pick<Config, "capabilityIntervalHours">,
  planner: Pick<QuotaPlanner, "plan">,
  quota: QuotaLedger,
  now: () => number = Date.now,
): CapabilityRoundSettings | null {
  if (config.capabilityIntervalHours <= 0) return null;
  return {
    intervalHours: config.capabilityIntervalHours,
    allowance: async () => {
      const plan = await planner.plan();
      return capabilityAllowance({
        left: quota.left(now()),
        healthRequestsPerDay: plan.requests_per_day_min,
        now: now(),
      });
    },
  };
}

export function onDemandCapabilities(
  config: Pick<Config, "capabilityIntervalHours">,
): CapabilityRoundSettings {
  return { intervalHours: config.capabilityIntervalHours || 24, force: true };
}
