import type { RunRow } from "../db/store.ts";

/**
 * A scan writes a heartbeat this often; a `running` run silent for STALE_RUN_MS belongs to a
 * process that died. (Asking the OS whether a pid lives would need --allow-all in Deno, and
 * would say nothing about a process on another host sharing a remote database.)
 */
export const HEARTBEAT_MS = 5_000;
export const STALE_RUN_MS = 20_000;

export function runIsAlive(
  _run: RunRow,
  lastActivityAt: number,
  now = Date.now(),
): boolean {
  return now - lastActivityAt < STALE_RUN_MS;
}

/**
 * When a `running` run turns stale unless it shows a new sign of life, judged from the run row
 * alone (its start and heartbeat; a live scan beats every HEARTBEAT_MS, so its checks never
 * run far ahead of it).
 */
export function runStaleAt(
  run: Pick<RunRow, "started_at" | "heartbeat_at">,
): number {
  return Math.max(run.started_at, run.heartbeat_at ?? 0) + STALE_RUN_MS;
}
