import type { CheckResult } from "../domain/check.ts";
import type { ScanProgress } from "../scan/scan.ts";

/** "1m05s", "42s": short durations for a progress line. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** `[ 12/40] ok 9 · failed 2 · skipped 1 · ETA 1m20s` */
export function progressLine(p: ScanProgress, now: number): string {
  const width = String(p.total).length;
  const elapsed = now - p.startedAt;
  const eta = p.done > 0 && p.done < p.total
    ? ` · ETA ${formatDuration((elapsed / p.done) * (p.total - p.done))}`
    : "";
  const skipped = p.skipped > 0 ? ` · skipped ${p.skipped}` : "";
  return `[${
    String(p.done).padStart(width)
  }/${p.total}] ok ${p.ok} · failed ${p.failed}${skipped}${eta}`;
}

/** One plain line per check, for logs and pipes. */
export function checkLine(c: CheckResult): string {
  const timing = c.latency_ms !== null
    ? ` ${c.latency_ms} ms${c.ttft_ms !== null ? ` (ttft ${c.ttft_ms} ms)` : ""}`
    : "";
  const http = c.http_status !== null ? ` HTTP ${c.http_status}` : "";
  const tries = c.attempts > 1 ? ` after ${c.attempts} attempts` : "";
  const why = c.status !== "ok" && c.error ? ` — ${c.error}` : "";
  return `${c.status.padEnd(16)} ${c.model_id}${http}${timing}${tries}${why}`;
}
