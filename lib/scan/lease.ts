import type { LeaseRow, Store } from "../db/store.ts";
import { HEARTBEAT_MS, STALE_RUN_MS } from "./liveness.ts";

/**
 * One scan at a time per database, across processes (the server, `deno task scan`, several
 * regions on one remote database): a scan runs only while it holds this lease. It is renewed
 * with the run's heartbeat and expires on its own when its holder dies.
 */
export const SCAN_LEASE = "scan";

/**
 * The scan lease of a region (OPENROUTER_SCOUT_REGION): scanners in different regions sharing
 * one database scan in parallel, never two in the same region. Untagged ones share SCAN_LEASE.
 */
export function scanLeaseName(region: string | null | undefined): string {
  return region ? `${SCAN_LEASE}:${region}` : SCAN_LEASE;
}
/** As long as a run may stay silent before it counts as dead: the two judgements agree. */
export const SCAN_LEASE_TTL_MS = STALE_RUN_MS;

/** A name for this process that no other process shares. */
export function leaseHolder(): string {
  let host = "unknown";
  try {
    host = Deno.hostname();
  } catch {
    // No permission to read the hostname: the random part keeps holders apart.
  }
  return `${host}:${Deno.pid}:${crypto.randomUUID().slice(0, 8)}`;
}

export type LeaseOutcome<T> =
  | { acquired: true; value: T }
  | { acquired: false; heldBy: LeaseRow | null };

/**
 * Runs `scan` while holding the scan lease `name` (see scanLeaseName); `{acquired: false}` at
 * once if another process holds it. Lease times are wall-clock: other processes read them.
 */
export async function withScanLease<T>(
  store: Store,
  holder: string,
  scan: () => Promise<T>,
  log: (message: string) => void = () => {},
  name: string = SCAN_LEASE,
): Promise<LeaseOutcome<T>> {
  if (!await store.acquireLease(name, holder, Date.now(), SCAN_LEASE_TTL_MS)) {
    return { acquired: false, heldBy: await store.getLease(name, Date.now()) };
  }
  const renew = setInterval(() => {
    store.renewLease(name, holder, Date.now(), SCAN_LEASE_TTL_MS)
      .then((held) =>
        held || log("warning: the scan lease was lost (the database was unreachable?)")
      )
      .catch((err) => log(`warning: could not renew the scan lease: ${err.message}`));
  }, HEARTBEAT_MS);
  try {
    return { acquired: true, value: await scan() };
  } finally {
    clearInterval(renew);
    await store.releaseLease(name, holder).catch(() => {});
  }
}
