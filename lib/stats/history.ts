/** One model's checks as a list, oldest first. */
import type { CheckRow, Store } from "../db/store.ts";
import { statusLabel } from "./labels.ts";
import { iso, rangeFrom } from "./sql.ts";
import type { HistoryPoint, Range } from "./types.ts";

/**
 * The model's checks over `range` (skipped ones included: they are part of the record, marked
 * `status: "skipped"`), oldest first; with `limit`, the newest `limit` of them.
 */
export async function modelHistory(
  store: Store,
  id: string,
  range: Range,
  now: number,
  limit?: number,
): Promise<HistoryPoint[]> {
  // listChecks takes [from, to); a range is (from, now].
  const rows = await store.listChecks({
    modelId: id,
    from: rangeFrom(range, now) + 1,
    to: now + 1,
    limit,
  });
  return rows.map(toHistoryPoint);
}

export function toHistoryPoint(c: CheckRow): HistoryPoint {
  return {
    run_datetime: iso(c.checked_at),
    ok: c.status === "ok",
    latency_ms: c.latency_ms,
    status_label: statusLabel(c.status, c.http_status),
    status: c.status,
    ttft_ms: c.ttft_ms,
    http_status: c.http_status,
    attempts: c.attempts,
    provider: c.provider,
    error: c.error,
    skip_reason: c.skip_reason,
    run_id: c.run_id,
  };
}
