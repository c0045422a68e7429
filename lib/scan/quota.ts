/**
 * The day's free-model quota as this process knows it: the latest GET /key reading
 * (`free_model_daily_requests`, time-stamped) and the chat requests this process's pacer granted
 * since. So the number stays true between two readings without asking GET /key again (never per
 * page view), and a scan can stop before the quota is gone instead of provoking a per-day 429.
 */
import type { FreeModelDailyRequests } from "../openrouter/types.ts";

const DAY_MS = 86_400_000;
/** Grant times kept since the reading; a day's free quota is at most 1,000. */
const MAX_GRANTS = 10_000;

export type QuotaSource = "key" | "estimate";

/** What the API, the dashboard and /metrics show (GET /api/summary `quota`). */
export interface QuotaSnapshot {
  limit: number;
  remaining: number;
  used: number;
  /** ISO 8601: the next UTC midnight. */
  resets_at: string;
  /** `key`: GET /key's count plus this process's requests since; `estimate`: the tier's guess. */
  source: QuotaSource;
}

export interface QuotaLedger {
  /** A GET /key reading taken at `at` (epoch ms). */
  record(reading: FreeModelDailyRequests, at: number): void;
  /** Called by the pacer for every request it grants (failed or refused ones count too). */
  spend(at: number): void;
  /** Requests kept back each UTC day for the user's own apps (OPENROUTER_SCOUT_QUOTA_RESERVE). */
  setReserve(reserve: number): void;
  /**
   * The share (0–0.9) of the day's limit kept for routed traffic when the router is on
   * (OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE); 0 keeps none.
   */
  setTrafficShare(share: number): void;
  /**
   * Requests kept back from probes at `now`: the reserve, and ceil(share × the day's limit) for
   * routed traffic (0 while there is no reading).
   */
  keptBack(now: number): KeptBack;
  /**
   * Requests that may still be sent at `now`; unless `spendReserve`, less what is kept back
   * (keptBack: the reserve and routed traffic's share). Routed traffic passes `spendReserve`:
   * it is the user's own use and may spend all. Null when there is no reading.
   */
  left(now: number, spendReserve?: boolean): number | null;
  /** The count at `now` from the reading; null when GET /key never reported it. */
  snapshot(now: number): QuotaSnapshot | null;
  /** When the latest reading was taken; null when none. */
  readonly readAt: number | null;
}

/** What probes leave unspent of the day's free requests (see QuotaLedger.keptBack). */
export interface KeptBack {
  /** OPENROUTER_SCOUT_QUOTA_RESERVE. */
  reserve: number;
  /** ceil(OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE × the day's limit); 0 with the router off. */
  traffic: number;
}

/** The probes' floor: requests kept back of a day whose limit is `limit`. */
export function keptBackOf(limit: number, reserve: number, trafficShare: number): KeptBack {
  return { reserve, traffic: Math.ceil(trafficShare * Math.max(0, limit)) };
}

/** "2 for your own apps (…RESERVE), 13 kept for routed traffic (…SHARE)"; "" when none. */
export function keptBackText(k: KeptBack): string {
  return [
    k.reserve > 0 ? `${k.reserve} for your own apps (OPENROUTER_SCOUT_QUOTA_RESERVE)` : null,
    k.traffic > 0
      ? `${k.traffic} kept for routed traffic (OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE)`
      : null,
  ].filter((x) => x !== null).join(", ");
}

export function nextUtcMidnight(ms: number): number {
  return (Math.floor(ms / DAY_MS) + 1) * DAY_MS;
}

export function createQuotaLedger(): QuotaLedger {
  let reading: (FreeModelDailyRequests & { at: number }) | null = null;
  let grants: number[] = [];
  let reserve = 0;
  let trafficShare = 0;

  function snapshot(now: number): QuotaSnapshot | null {
    if (!reading) return null;
    const dayEnd = nextUtcMidnight(reading.at);
    if (now >= dayEnd) {
      // A new UTC day since the reading: its count restarted at midnight.
      const todayStart = nextUtcMidnight(now) - DAY_MS;
      const used = grants.filter((t) => t >= todayStart).length;
      return shape(reading.limit, used, reading.limit - used, nextUtcMidnight(now));
    }
    const since = grants.filter((t) => t >= reading!.at && t < dayEnd).length;
    return shape(reading.limit, reading.used + since, reading.remaining - since, dayEnd);
  }

  return {
    record(r, at) {
      reading = { limit: r.limit, remaining: r.remaining, used: r.used, at };
      grants = grants.filter((t) => t > at);
    },
    spend(at) {
      if (!reading) return;
      grants.push(at);
      if (grants.length > MAX_GRANTS) grants.splice(0, grants.length - MAX_GRANTS);
    },
    setReserve(n) {
      reserve = Math.max(0, Math.floor(n));
    },
    setTrafficShare(share) {
      trafficShare = Number.isFinite(share) ? Math.min(0.9, Math.max(0, share)) : 0;
    },
    keptBack(now) {
      return keptBackOf(snapshot(now)?.limit ?? 0, reserve, trafficShare);
    },
    left(now, spendReserve = false) {
      const s = snapshot(now);
      if (s === null) return null;
      if (spendReserve) return s.remaining;
      const k = keptBackOf(s.limit, reserve, trafficShare);
      return Math.max(0, s.remaining - k.reserve - k.traffic);
    },
    snapshot,
    get readAt() {
      return reading?.at ?? null;
    },
  };
}

function shape(limit: number, used: number, remaining: number, resetsAt: number): QuotaSnapshot {
  return {
    limit,
    used,
    remaining: Math.max(0, remaining),
    resets_at: new Date(resetsAt).toISOString(),
    source: "key",
  };
}
