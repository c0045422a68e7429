/** One model's checks as a list, oldest first. */
import type { CheckRow, Store } from "../db/store.ts";
import type { CheckStatus, SkipReason } from "../domain/check.ts";
import { clampLimit } from "../db/runs.ts";
import { faultOrNull } from "../db/checks.ts";
import { statusLabel } from "./labels.ts";
import { iso, rangeFrom } from "./sql.ts";
import type { HistoryPoint, Range } from "./types.ts";

/**
 * The model's checks over `range` (skipped ones included: they are part of the record, marked
 * `status: "skipped"`), oldest first; with `limit`, the newest `limit` of them. Raw checks: the
 * history reaches back as far as retention keeps them.
 */
export async function modelHistory(
  store: Store,
  id: string,
  range: Range,
  now: number,
  limit?: number,
): Promise<HistoryPoint[]> {
  // A range is (from, now]. The rows come back as one JSON text: converting each cell of a
  // result costs more than the query over hundreds of checks.
  const rs = await store.client.execute({
    sql: `SELECT json_group_array(json_array(checked_at, status, latency_ms, http_status, ttft_ms,
        attempts, provider, error, skip_reason, run_id, fault, source)
        ORDER BY checked_at, id) AS data
      FROM (SELECT * FROM checks WHERE model_id = ? AND checked_at > ? AND checked_at <= ?
        ORDER BY checked_at DESC, id DESC ${limit === undefined ? "" : "LIMIT ?"})`,
    args: [
      id,
      rangeFrom(range, now),
      now,
      ...(limit === undefined ? [] : [clampLimit(limit)]),
    ],
  });
  const rows = JSON.parse(String(rs.rows[0]?.data ?? "[]")) as unknown[][];
  return rows.map(
    ([at, status, latency, http, ttft, attempts, provider, error, skip, run, fault, source]) => {
      const n = (v: unknown) => typeof v === "number" ? v : null;
      const s = (v: unknown) => typeof v === "string" ? v : null;
      // Written by insertCheck, which accepts only these values.
      const check = status as CheckStatus;
      return {
        run_datetime: iso(n(at) ?? 0),
        ok: check === "ok",
        latency_ms: n(latency),
        status_label: statusLabel(check, n(http)),
        status: check,
        ttft_ms: n(ttft),
        http_status: n(http),
        attempts: n(attempts) ?? 1,
        provider: s(provider),
        error: s(error),
        skip_reason: s(skip) as SkipReason | null,
        run_id: n(run) ?? 0,
        fault: faultOrNull(fault),
        source: source === "traffic" ? "traffic" : "probe",
      };
    },
  );
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
    fault: c.fault,
    source: c.source,
  };
}
