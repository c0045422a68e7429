import type { RunRow } from "../db/store.ts";

/** A run with no check for this long is taken as abandoned, wherever its process ran. */
export const STALE_RUN_MS = 15 * 60_000;

/**
 * Whether the process behind a `running` run is still at work. On this host, a process that
 * no longer exists settles it at once (Linux `/proc`); elsewhere, or without `/proc`, a run
 * counts as alive until it has been silent for STALE_RUN_MS.
 */
export function runIsAlive(run: RunRow, lastActivityAt: number, now = Date.now()): boolean {
  if (run.pid !== null && run.host !== null && run.host === thisHost()) {
    if (run.pid === Deno.pid) return true;
    const exists = processExists(run.pid);
    if (exists !== null) return exists;
  }
  return now - lastActivityAt < STALE_RUN_MS;
}

function processExists(pid: number): boolean | null {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      try {
        Deno.statSync("/proc/self");
        return false;
      } catch {
        return null; // No /proc on this system: we cannot tell.
      }
    }
    return null;
  }
}

function thisHost(): string | null {
  try {
    return Deno.hostname();
  } catch {
    return null;
  }
}
