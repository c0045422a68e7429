/**
 * What the LiveStatus island reads from `GET /api/summary`, read defensively (every field is
 * checked; anything unexpected is treated as unknown), and when the page should reload.
 */

export interface ScanProgressView {
  done: number;
  total: number;
  ok: number;
  failed: number;
  skipped: number;
}

export interface ScanningView {
  enabled: boolean;
  disabled_reason: string | null;
  schedule: string | null;
  running: {
    run_id: number | null;
    started_at: string;
    progress: ScanProgressView | null;
  } | null;
  next_scan_at: string | null;
}

export interface LiveSnapshot {
  scanning: ScanningView;
  /** The latest run the summary names (`last_run.id`), null on a fresh database. */
  lastRunId: number | null;
  lastRunStatus: string | null;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const numOr = <T>(v: unknown, d: T): number | T =>
  typeof v === "number" && Number.isFinite(v) ? v : d;
const strOr = <T>(v: unknown, d: T): string | T => typeof v === "string" ? v : d;

function readProgress(v: unknown): ScanProgressView | null {
  if (!isObj(v)) return null;
  const total = numOr(v.total, null);
  if (total === null) return null;
  return {
    done: numOr(v.done, 0),
    total,
    ok: numOr(v.ok, 0),
    failed: numOr(v.failed, 0),
    skipped: numOr(v.skipped, 0),
  };
}

export function readScanning(v: unknown): ScanningView | null {
  if (!isObj(v) || typeof v.enabled !== "boolean") return null;
  const running = isObj(v.running)
    ? {
      run_id: numOr(v.running.run_id, null),
      started_at: strOr(v.running.started_at, ""),
      progress: readProgress(v.running.progress),
    }
    : null;
  return {
    enabled: v.enabled,
    disabled_reason: strOr(v.disabled_reason, null),
    schedule: strOr(v.schedule, null),
    running,
    next_scan_at: strOr(v.next_scan_at, null),
  };
}

/** The parts of a `/api/summary` body LiveStatus uses; null when it does not look like one. */
export function readSummary(body: unknown): LiveSnapshot | null {
  if (!isObj(body)) return null;
  const scanning = readScanning(body.scanning);
  if (!scanning) return null;
  const last = isObj(body.last_run) ? body.last_run : null;
  return {
    scanning,
    lastRunId: last ? numOr(last.id, null) : null,
    lastRunStatus: last ? strOr(last.status, null) : null,
  };
}

/**
 * Whether the page's data is stale: a scan it saw running has ended, or a finished run newer
 * than the one it shows exists.
 */
export function shouldReload(
  shown: { running: boolean; lastRunId: number | null },
  latest: LiveSnapshot,
): boolean {
  if (shown.running && latest.scanning.running === null) return true;
  return latest.lastRunId !== null && latest.lastRunId !== shown.lastRunId &&
    latest.lastRunStatus !== "running";
}

/** The scanner's status as LiveStatus props: exactly the fields it reads. */
export function toScanningView(s: ScanningView): ScanningView {
  const p = s.running?.progress ?? null;
  return {
    enabled: s.enabled,
    disabled_reason: s.disabled_reason,
    schedule: s.schedule,
    running: s.running && {
      run_id: s.running.run_id,
      started_at: s.running.started_at,
      progress: p &&
        { done: p.done, total: p.total, ok: p.ok, failed: p.failed, skipped: p.skipped },
    },
    next_scan_at: s.next_scan_at,
  };
}
