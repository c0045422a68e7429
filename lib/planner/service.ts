/**
 * The quota planner at work in the server: it reads the key's tier (GET /key, cached), the
 * models a scan would check (the stored catalog and the scan filters) and the schedule, and
 * says how the schedule spends the daily quota (the dashboard's card, a warning in the log);
 * with OPENROUTER_SCOUT_SPREAD_CHECKS it also tells the scheduler which models to check now.
 */
import type { Store } from "../db/store.ts";
import { num } from "../db/values.ts";
import { CHECKED_CAPABILITIES, claims } from "../domain/capability.ts";
import { filterModels } from "../openrouter/catalog.ts";
import type { KeyInfo } from "../openrouter/types.ts";
import type { ScanSettings } from "../scan/scan.ts";
import { keptBackOf, type QuotaLedger } from "../scan/quota.ts";
import type { Timing } from "../config/timing.ts";
import { modelSummaries } from "../stats/mod.ts";
import { dailyBudgetOf, planQuota, type QuotaPlan, scansPerDay, tierOf } from "./budget.ts";
import { modelsInSlot, planSpread, type SpreadPlan } from "./spread.ts";

const DAY_MS = 86_400_000;

const TIER_TEXT = {
  free: "free tier",
  credits: "credits bought",
  unknown: "tier unknown, planned as the free tier",
} as const;

export interface QuotaPlannerOptions {
  store: Store;
  /** GET /key; null when there is no API key (the plan then assumes the free tier). */
  getKey: ((signal?: AbortSignal) => Promise<KeyInfo>) | null;
  settings: ScanSettings;
  timing: Timing;
  spread: boolean;
  log: (message: string) => void;
  now?: () => number;
  /** Re-read the key after this long (default 6 h). */
  keyMaxAgeMs?: number;
  /**
   * The process's quota ledger (the shared pacer's): the latest GET /key count and the requests
   * granted since. The planner's own GET /key readings go into it too. Unset: estimated.
   */
  quota?: QuotaLedger;
  /** OPENROUTER_SCOUT_CAPABILITY_INTERVAL_HOURS (0 or unset: the server runs no rounds). */
  capabilityIntervalHours?: number;
}

export interface SpreadTurn {
  /** The slot's number since the epoch (its start is `slot × slotMs`). */
  slot: number;
  slotMs: number;
  modelIds: string[];
}

export interface QuotaPlanner {
  /** The plan now, from the cached key (refreshed in the background when stale). */
  plan(): Promise<QuotaPlan>;
  /**
   * Reads the key (now, unless `quiet`: then the cached one); logs the budget (unless `quiet`)
   * and a warning when the schedule exceeds it — each warning once, until it changes.
   */
  check(opts?: { quiet?: boolean }): Promise<QuotaPlan>;
  /** Spread mode: the models of the current slot. */
  spreadTurn(): Promise<SpreadTurn>;
  /** Spread mode: today's whole plan. */
  spreadPlan(): Promise<SpreadPlan>;
}

export function createQuotaPlanner(o: QuotaPlannerOptions): QuotaPlanner {
  const now = o.now ?? (() => Date.now());
  const maxAge = o.keyMaxAgeMs ?? 6 * 3_600_000;
  let key: KeyInfo | null = null;
  let keyAt = -Infinity;
  let refreshing: Promise<void> | null = null;
  let warned: string | null = null;
  let reported = false;

  function refreshKey(): Promise<void> {
    if (!o.getKey) return Promise.resolve();
    const getKey = o.getKey;
    refreshing ??= (async () => {
      try {
        key = await getKey(AbortSignal.timeout(20_000));
        keyAt = now();
        const daily = key.free_model_daily_requests;
        // A scan's reading is as good and maybe newer: only fill the ledger when it has none.
        if (daily && o.quota && o.quota.readAt === null) o.quota.record(daily, keyAt);
      } catch (err) {
        o.log(`quota planner: could not read the key (GET /key): ${(err as Error).message}`);
        keyAt = now(); // do not hammer: try again after maxAge
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  async function scanModels(): Promise<{ id: string; unstable: boolean; claims: number }[]> {
    const t = now();
    const [rows, summaries] = await Promise.all([
      o.store.listModels({ presentOnly: true }),
      modelSummaries(o.store, t),
    ]);
    const text = rows.filter((m) =>
      m.output_modalities.length === 0 || m.output_modalities.includes("text")
    );
    const selected = filterModels(text, {
      idContains: o.settings.modelIdContains,
      maxModels: o.settings.maxModels,
    });
    const health = new Map(summaries.map((s) => [s.model_id, s.health]));
    return selected.map((m) => ({
      id: m.id,
      unstable: health.get(m.id) !== "healthy",
      claims: CHECKED_CAPABILITIES.filter((c) => claims(c, m)).length,
    }));
  }

  async function spentToday(): Promise<number> {
    const t = now();
    const rs = await o.store.client.execute({
      sql: `SELECT COALESCE(SUM(attempts), 0) AS n FROM checks
        WHERE checked_at >= ? AND checked_at <= ? AND status <> 'skipped'`,
      args: [t - (t % DAY_MS), t],
    });
    return num(rs.rows[0]?.n ?? 0);
  }

  function spreadPlanOf(models: { id: string; unstable: boolean }[]): SpreadPlan {
    const t = now();
    const limit = o.quota?.snapshot(t)?.limit ?? dailyBudgetOf(tierOf(key));
    const kept = keptBackOf(limit, o.settings.quotaReserve ?? 0, o.settings.trafficShare ?? 0);
    return planSpread({
      models,
      // Spread within what probes may spend: the reserve and routed traffic's share left out.
      dailyBudget: Math.max(0, limit - kept.reserve - kept.traffic),
      scansPerDay: scansPerDay(o.timing, t),
      day: Math.floor(t / DAY_MS),
    });
  }

  async function plan(): Promise<QuotaPlan> {
    if (now() - keyAt > maxAge) void refreshKey();
    const [models, spent] = await Promise.all([scanModels(), spentToday()]);
    const spread = o.spread ? spreadPlanOf(models) : null;
    return planQuota({
      key,
      modelsPerScan: models.length,
      maxRetries: o.settings.maxRetries,
      timing: o.timing,
      now: now(),
      spreadChecksPerDay: spread?.total_checks ?? null,
      spentToday: spent,
      quota: o.quota?.snapshot(now()) ?? null,
      reserve: o.settings.quotaReserve ?? 0,
      trafficShare: o.settings.trafficShare ?? 0,
      capabilityClaims: models.reduce((n, m) => n + m.claims, 0),
      capabilityIntervalHours: o.capabilityIntervalHours ?? 0,
    });
  }

  return {
    plan,
    async check({ quiet = false } = {}) {
      if (!quiet) await refreshKey();
      const p = await plan();
      const n = p.models_per_scan;
      const source = p.quota.source === "key"
        ? `GET /key: ${p.quota.remaining} left today`
        : TIER_TEXT[p.tier];
      const held = p.reserve + p.kept_for_traffic;
      const line = `daily free-model quota: ${p.daily_budget} requests (${source}); ` +
        (held > 0 ? `probes may spend ${p.probe_budget} (${held} kept back); ` : "") +
        `the schedule sends ${p.requests_per_day_min}–${p.requests_per_day_max} a day` +
        (p.mode === "spread"
          ? " (spread over the day)"
          : ` (${n} model${n === 1 ? "" : "s"} a scan)`);
      // On a new database the catalog is known after the first scan: the line waits for it.
      if (p.models_per_scan > 0 && (!quiet || !reported)) {
        o.log(line);
        reported = true;
      }
      if (p.warning && p.warning !== warned) o.log(`warning: ${p.warning}`);
      warned = p.warning;
      return p;
    },
    async spreadTurn() {
      if (now() - keyAt > maxAge) void refreshKey();
      const t = now();
      const p = spreadPlanOf(await scanModels());
      const slotMs = p.slot_minutes * 60_000;
      return {
        slot: Math.floor(t / slotMs),
        slotMs,
        modelIds: modelsInSlot(p, Math.floor((t % DAY_MS) / 60_000)),
      };
    },
    async spreadPlan() {
      return spreadPlanOf(await scanModels());
    },
  };
}
