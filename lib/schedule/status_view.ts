/** What the scheduler reports about scanning: the running scan (here or elsewhere), the next. */
import type { Store } from "../db/store.ts";
import { runStaleAt } from "../scan/liveness.ts";
import type { ScanProgress } from "../scan/scan.ts";
import type { ScannerStatus } from "../scan/status.ts";

export const DISABLED_REASON =
  "Scanning is off: OPENROUTER_API_KEY is not set. Put it in .env (or the environment) and " +
  "restart; the dashboard shows what is already stored.";

/** The scan this process runs, as the status shows it. */
export interface LocalScanView {
  runId: number | null;
  startedAt: number;
  progress: ScanProgress | null;
}

export function runningView(scan: LocalScanView): NonNullable<ScannerStatus["running"]> {
  return {
    run_id: scan.runId,
    started_at: new Date(scan.startedAt).toISOString(),
    progress: scan.progress,
  };
}

/**
 * A live scan of another process on this database, with its progress read from its checks. A
 * run whose heartbeat went stale is not live, even before the sweep marks it `interrupted`.
 */
export async function runningElsewhere(
  store: Store,
  now: number,
  lease: string,
  region: string | null,
): Promise<ScannerStatus["running"]> {
  if (!await store.getLease(lease, now)) return null;
  const [run] = (await store.listRuns(5)).filter((r) =>
    r.status === "running" && r.region === region && now < runStaleAt(r)
  );
  if (!run) return null;
  const checks = await store.listChecks({ runId: run.id });
  const ok = checks.filter((c) => c.status === "ok").length;
  const skipped = checks.filter((c) => c.status === "skipped").length;
  return {
    run_id: run.id,
    started_at: new Date(run.started_at).toISOString(),
    progress: {
      done: checks.length,
      total: run.total_models ?? checks.length,
      ok,
      failed: checks.length - ok - skipped,
      skipped,
      startedAt: run.started_at,
    },
  };
}
