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
   * Requests that may still be sent at `now`, the reserve deducted unless `spendReserve` (routed
   * traffic: the reserve is kept for the user's own use, which routed requests are); null when
   * there is no reading.
   */
  left(now: number, spendReserve?: boolean): number | null;
  /** The count at `now` from the reading; null when GET /key never reported it. */
  snapshot(now: number): QuotaSnapshot | null;
  /** When the latest reading was taken; null when none. */
  readonly readAt: number | null;
}

export function nextUtcMidnight(ms: number): number {
  return (Math.floor(ms / DAY_MS) + 1) * DAY_MS;
}

export function createQuotaLedger(): QuotaLedger {
  let reading: (FreeModelDailyRequests & { at: number }) | null = null;
  let grants: number[] = [];
  let reserve = 0;

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
    left(now, spendReserve = false) {
      const s = snapshot(now);
      return s === null ? null : Math.max(0, s.remaining - (spendReserve ? 0 : reserve));
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
