/**
 * The router's durable history, hour by hour, from the database: requests and failovers
 * (router_hours) and the routed attempts stored as traffic checks (which model answered, which
 * failed). It outlives restarts, unlike the router's in-memory counters. Never any content.
 */
import type { Store } from "../db/store.ts";
import { HOUR_MS, ROUTER_HOUR_FIELDS, type RouterHourCounts, routerHours } from "../db/router.ts";
import { num, str } from "../db/values.ts";
import { iso } from "./sql.ts";

export const ROUTER_RANGES = ["24h", "7d"] as const;
export type RouterRange = typeof ROUTER_RANGES[number];

const HOURS_OF: Record<RouterRange, number> = { "24h": 24, "7d": 168 };

export interface RouterHour extends RouterHourCounts {
  /** ISO 8601 start of the UTC hour. */
  hour: string;
  /** Routed attempts that reached a model (traffic checks, skipped ones left out). */
  attempts: number;
  attempts_ok: number;
  attempts_failed: number;
  /** Answers per model that served them, most first. */
  served: { model_id: string; answers: number }[];
}

export interface RouterModelTraffic {
  model_id: string;
  attempts: number;
  ok: number;
  failed: number;
}

export interface RouterHistory {
  range: RouterRange;
  /** Start of the first hour, and now (the last hour is the current, partial one). */
  from: string;
  to: string;
  hours: RouterHour[];
  /** Attempts per model over the range, most answers first. */
  by_model: RouterModelTraffic[];
}

/** Every hour of `range` up to the current one, zeros where nothing was routed. */
export async function routerHistory(
  store: Store,
  range: RouterRange,
  now: number,
): Promise<RouterHistory> {
  const current = Math.floor(now / HOUR_MS) * HOUR_MS;
  const first = current - (HOURS_OF[range] - 1) * HOUR_MS;
  const [counted, attempts] = await Promise.all([
    routerHours(store.client, first, current + HOUR_MS),
    store.client.execute({
      sql: `SELECT (checked_at / ${HOUR_MS}) * ${HOUR_MS} AS hour, model_id, COUNT(*) AS n,
          SUM(ok) AS ok
        FROM checks
        WHERE source = 'traffic' AND status <> 'skipped' AND checked_at >= ? AND checked_at <= ?
        GROUP BY hour, model_id`,
      args: [first, now],
    }),
  ]);

  const hours = new Map<number, RouterHour>();
  for (let t = first; t <= current; t += HOUR_MS) {
    hours.set(t, {
      hour: iso(t),
      requests: 0,
      answered: 0,
      failovers: 0,
      account_limit_waits: 0,
      account_limit_refusals: 0,
      attempts: 0,
      attempts_ok: 0,
      attempts_failed: 0,
      served: [],
    });
  }
  for (const row of counted) {
    const h = hours.get(row.hour);
    if (h) { for (const f of ROUTER_HOUR_FIELDS) h[f] = row[f]; }
  }
  const models = new Map<string, RouterModelTraffic>();
  for (const r of attempts.rows) {
    const h = hours.get(num(r.hour));
    if (!h) continue;
    const model = str(r.model_id);
    const n = num(r.n);
    const ok = num(r.ok);
    h.attempts += n;
    h.attempts_ok += ok;
    h.attempts_failed += n - ok;
    if (ok > 0) h.served.push({ model_id: model, answers: ok });
    const m = models.get(model) ?? { model_id: model, attempts: 0, ok: 0, failed: 0 };
    m.attempts += n;
    m.ok += ok;
    m.failed += n - ok;
    models.set(model, m);
  }
  for (const h of hours.values()) {
    h.served.sort((a, b) => b.answers - a.answers || a.model_id.localeCompare(b.model_id));
  }
  return {
    range,
    from: iso(first),
    to: iso(now),
    hours: [...hours.values()],
    by_model: [...models.values()].sort((a, b) =>
      b.ok - a.ok || b.attempts - a.attempts || a.model_id.localeCompare(b.model_id)
    ),
  };
}
