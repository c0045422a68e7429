/**
 * The quota planner's arithmetic: how many free-model requests a day the account has (GET /key)
 * and how many the schedule spends. Pure functions; lib/planner/service.ts feeds them.
 *
 * OpenRouter counts every request to a free model against the daily quota, failed ones too:
 * a scan of N models sends at least N requests and at most N × (1 + retries).
 *
 * Probes do not get the whole quota. They leave unspent, each UTC day:
 * - OPENROUTER_SCOUT_QUOTA_RESERVE requests, for the user's own apps;
 * - with the router on (OPENROUTER_SCOUT_ROUTER_TOKEN), ceil(OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE
 *   × the daily limit) requests for routed traffic (default share 0.25: 13 of 50, 250 of 1000).
 * So a probe is refused once the requests left reach reserve + ceil(share × limit) (the pacer,
 * lib/scan/quota.ts `left`), and the plan's `probe_budget` is limit − both. Routed traffic
 * itself may spend everything, the reserve and its share included: it is the user's own use.
 */
import type { KeyInfo } from "../openrouter/types.ts";
import {
  type KeptBack,
  keptBackOf,
  keptBackText,
  nextUtcMidnight,
  type QuotaSnapshot,
} from "../scan/quota.ts";
import { nextCronRun, type Timing } from "../config/timing.ts";
import { capabilityRequestsPerDay } from "./capability_budget.ts";

const DAY_MS = 86_400_000;

/** Free requests a day: 50 on a free account, 1000 once 10 credits were bought. */
export const FREE_TIER_DAILY = 50;
export const CREDITS_DAILY = 1000;

export type Tier = "free" | "credits" | "unknown";

export function tierOf(key: KeyInfo | null): Tier {
  if (!key || key.is_free_tier === null) return "unknown";
  return key.is_free_tier ? "free" : "credits";
}

/** The daily budget of a tier; an unknown tier is planned as the free one (the safe side). */
export function dailyBudgetOf(tier: Tier): number {
  return tier === "credits" ? CREDITS_DAILY : FREE_TIER_DAILY;
}

/**
 * Full scans the schedule starts in the 24 hours after `now`: 24 h / interval, or the times a
 * cron expression fires.
 */
export function scansPerDay(timing: Timing, now: number): number {
  if (timing.kind === "interval") return DAY_MS / Math.max(1, timing.everyMs);
  let count = 0;
  let t = now;
  // At most one a minute: a cron expression cannot fire more than 1440 times a day.
  for (let i = 0; i <= 1440; i++) {
    const next = nextCronRun(timing.expression, t);
    if (next === null || next > now + DAY_MS) break;
    count++;
    t = next;
  }
  return count;
}

export type QuotaStatus = "ok" | "tight" | "over";

export interface QuotaPlan {
  tier: Tier;
  /** Free-model requests a day (the account's quota). */
  daily_budget: number;
  /** OPENROUTER_SCOUT_QUOTA_RESERVE: left each day to the user's own apps. */
  reserve: number;
  /** ceil(OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE × daily_budget) with the router on, else 0. */
  kept_for_traffic: number;
  /** What probes may spend a day: daily_budget − reserve − kept_for_traffic (at least 0). */
  probe_budget: number;
  /** How checks are scheduled: a full scan per interval, or spread over the day. */
  mode: "burst" | "spread";
  scans_per_day: number;
  /** Models a full scan checks (the catalog's free text models after the filters). */
  models_per_scan: number;
  max_retries: number;
  /** Requests a day when every check needs one attempt, and when every one needs all retries. */
  requests_per_day_min: number;
  requests_per_day_max: number;
  /** probe_budget − requests_per_day_min (negative when over). */
  headroom: number;
  /**
   * Against probe_budget. `ok`: fits even with every retry; `tight`: fits only if few checks need
   * retries; `over`: the schedule alone exceeds it (scans will end early, `quota_exhausted`).
   */
  status: QuotaStatus;
  /** The shortest interval (hours) at which a full scan fits probe_budget; null when none does. */
  min_interval_hours: number | null;
  /** The most models a full scan could check at the current schedule within probe_budget. */
  max_models_at_schedule: number;
  /**
   * What the server's capability checks cost a day at most (each claimed tools/json/vision check
   * of the scanned models once per OPENROUTER_SCOUT_CAPABILITY_INTERVAL_HOURS); they only spend
   * what the health probes leave, so they never count against `headroom`. 0 when off.
   */
  capability_requests_per_day: number;
  /** Requests Scouter sent to free models since 00:00 UTC today (attempts, retries included). */
  spent_today: number | null;
  /** One sentence saying what to change; null when the plan fits. */
  warning: string | null;
  /**
   * The day's free-model requests now: GET /key's count plus this process's requests since
   * (`source: key`), or the tier's guess less what Scouter sent today (`estimate`).
   */
  quota: QuotaSnapshot;
}

export interface PlanInputs {
  key: KeyInfo | null;
  modelsPerScan: number;
  maxRetries: number;
  timing: Timing;
  now: number;
  /** Checks a day when spread (lib/planner/spread.ts); unset: one full scan per interval. */
  spreadChecksPerDay?: number | null;
  spentToday?: number | null;
  /** The day's count from GET /key (lib/scan/quota.ts); unset or null: estimated. */
  quota?: QuotaSnapshot | null;
  /** OPENROUTER_SCOUT_QUOTA_RESERVE; unset: 0. */
  reserve?: number;
  /** The share kept for routed traffic (0 with the router off); unset: 0. */
  trafficShare?: number;
  /** Claimed tools/json/vision checks among the scanned models; unset: 0. */
  capabilityClaims?: number;
  /** OPENROUTER_SCOUT_CAPABILITY_INTERVAL_HOURS; unset or 0: no capability rounds. */
  capabilityIntervalHours?: number;
}

/** The tier's guess when GET /key does not report the day's count. */
export function estimatedQuota(tier: Tier, spentToday: number, now: number): QuotaSnapshot {
  const limit = dailyBudgetOf(tier);
  const used = Math.max(0, Math.round(spentToday));
  return {
    limit,
    used,
    remaining: Math.max(0, limit - used),
    resets_at: new Date(nextUtcMidnight(now)).toISOString(),
    source: "estimate",
  };
}

export function planQuota(p: PlanInputs): QuotaPlan {
  const tier = tierOf(p.key);
  const quota = p.quota ?? estimatedQuota(tier, p.spentToday ?? 0, p.now);
  const kept = keptBackOf(quota.limit, Math.max(0, p.reserve ?? 0), p.trafficShare ?? 0);
  const budget = Math.max(0, quota.limit - kept.reserve - kept.traffic);
  const spread = p.spreadChecksPerDay != null;
  const scans = scansPerDay(p.timing, p.now);
  const models = Math.max(0, p.modelsPerScan);
  const perDayMin = spread
    ? Math.max(0, Math.round(p.spreadChecksPerDay ?? 0))
    : Math.ceil(scans * models);
  const perDayMax = perDayMin * (1 + p.maxRetries);
  const status: QuotaStatus = perDayMin > budget ? "over" : perDayMax > budget ? "tight" : "ok";
  const minInterval = models === 0 || models > budget
    ? null
    : Math.ceil((24 * models / budget) * 100) / 100;
  const maxModels = scans > 0 ? Math.floor(budget / scans) : budget;
  return {
    tier,
    daily_budget: quota.limit,
    reserve: kept.reserve,
    kept_for_traffic: kept.traffic,
    probe_budget: budget,
    mode: spread ? "spread" : "burst",
    scans_per_day: Math.round(scans * 100) / 100,
    models_per_scan: models,
    max_retries: p.maxRetries,
    requests_per_day_min: perDayMin,
    requests_per_day_max: perDayMax,
    headroom: budget - perDayMin,
    status,
    min_interval_hours: minInterval,
    max_models_at_schedule: maxModels,
    capability_requests_per_day: capabilityRequestsPerDay(
      p.capabilityClaims ?? 0,
      p.capabilityIntervalHours ?? 0,
    ),
    spent_today: p.spentToday ?? null,
    warning: status === "over"
      ? overWarning(quota.limit, kept, tier, perDayMin, models, maxModels, minInterval)
      : null,
    quota,
  };
}

function overWarning(
  limit: number,
  kept: KeptBack,
  tier: Tier,
  perDay: number,
  models: number,
  maxModels: number,
  minInterval: number | null,
): string {
  const fixes = [
    maxModels > 0 ? `check at most ${maxModels} models (OPENROUTER_SCOUT_MAX_MODELS)` : null,
    minInterval !== null ? `scan every ${minInterval} h or less often` : null,
    "set OPENROUTER_SCOUT_SPREAD_CHECKS=true",
    kept.traffic > 0 ? "lower OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE" : null,
    tier !== "credits" ? "or buy 10 credits (1000 requests a day)" : null,
  ].filter((x): x is string => x !== null);
  const held = kept.reserve + kept.traffic;
  const quota = held > 0
    ? `probes may spend ${limit - held} of the daily free quota of ${limit} ` +
      `(${keptBackText(kept)})`
    : `the daily free quota is ${limit}`;
  return `The schedule sends about ${perDay} requests a day (${models} models a scan) but ` +
    `${quota}: scans will stop early. To fit, ${fixes.join(", ")}.`;
}
