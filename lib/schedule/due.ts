/** When the next scan is due: the interval counted from the last start, a cron, or a slot. */
import { nextCronRun, type Timing } from "../config/timing.ts";
import type { RunRow } from "../db/store.ts";

export interface DueInput {
  timing: Timing;
  now: number;
  /** The start of this region's latest run, whichever process ran it; null if none. */
  lastRunStart: number | null;
  scanOnStart: boolean;
  /** When this scheduler started. */
  startedAt: number;
  /** The spread plan's slot length, once known (0: not spreading, or not yet). */
  spreadSlotMs: number;
}

export function nextScanAt(i: DueInput): number | null {
  if (i.spreadSlotMs > 0) return (Math.floor(i.now / i.spreadSlotMs) + 1) * i.spreadSlotMs;
  if (i.timing.kind === "cron") return nextCronRun(i.timing.expression, i.now);
  const base = i.lastRunStart ?? (i.scanOnStart ? i.now : i.startedAt);
  return Math.max(base + i.timing.everyMs, i.now);
}

/**
 * The scan on start that found the lease held: "run" once the region's latest run is over,
 * "drop" when another process completed a scan since this scheduler started, else "wait".
 */
export function pendingStart(last: RunRow | undefined, startedAt: number): "run" | "drop" | "wait" {
  if (last?.status === "running") return "wait";
  if (
    last && last.started_at >= startedAt &&
    (last.status === "completed" || last.status === "quota_exhausted")
  ) return "drop";
  return "run";
}
