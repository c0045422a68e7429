/**
 * One pass of the alert rules: reads what happened since the last pass (new checks, catalog
 * changes, upcoming expirations), runs each model's checks through the state machine and writes
 * the resulting events, the new states and the cursors in one transaction.
 *
 * Safe from any process and any number of times: a lease keeps two passes from running at
 * once, the cursors only move forward, and each event has a key (`down:<model>:<check id>` …)
 * that is stored at most once. So the server and `deno task scan` can both run it after their
 * scans; the first to get there records the events.
 */
import {
  type AlertPass,
  commitAlertPass,
  loadAlertStates,
  readCursors,
} from "../db/alert_state.ts";
import type { NewAlertEvent } from "../db/alert_events.ts";
import type { Store } from "../db/store.ts";
import { num, numOrNull, str, strOrNull } from "../db/values.ts";
import type { CheckStatus } from "../domain/check.ts";
import { replay, type StateCheck } from "./state.ts";
import { INITIAL_STATE, type ModelAlertState } from "../domain/alerts.ts";
import type { AlertEvent, AlertRules } from "../domain/alerts.ts";
import { plural } from "../../islands/format.ts";

export const ALERTS_LEASE = "alerts";
const LEASE_TTL_MS = 60_000;
/** Checks read per query; a pass reads on until it has caught up. */
const PAGE = 5_000;
const DAY_MS = 86_400_000;

interface CheckLine extends StateCheck {
  model_id: string;
  run_id: number;
}

/**
 * Runs one pass; resolves with the events it recorded (none when another process holds the
 * lease: that process records them).
 */
export async function runAlertPass(
  store: Store,
  rules: AlertRules,
  now: number,
  holder: string,
): Promise<AlertEvent[]> {
  if (!await store.acquireLease(ALERTS_LEASE, holder, now, LEASE_TTL_MS)) return [];
  try {
    const recorded: AlertEvent[] = [];
    // Page through the backlog; the catalog and expirations are read with the first page.
    for (let first = true;; first = false) {
      const { pass, more } = await buildPass(store, rules, now, first);
      recorded.push(...await commitAlertPass(store.client, pass));
      if (!more) break;
      await store.renewLease(ALERTS_LEASE, holder, now, LEASE_TTL_MS);
    }
    return recorded;
  } finally {
    await store.releaseLease(ALERTS_LEASE, holder);
  }
}

async function buildPass(
  store: Store,
  rules: AlertRules,
  now: number,
  withCatalog: boolean,
): Promise<{ pass: AlertPass; more: boolean }> {
  const client = store.client;
  const cursors = await readCursors(client);
  const checkCursor = cursors.get("checks") ?? 0;
  const catalogCursor = cursors.get("catalog") ?? 0;

  const [checksRs, catalogRs, expiringRs] = await client.batch([
    {
      // A failure blamed on OpenRouter (an incident) is not measured: the rules see it as
      // skipped, so it neither starts nor extends a "down" streak.
      sql: `SELECT id, model_id, run_id, checked_at,
          CASE WHEN ${BLAMED} THEN 'skipped' ELSE status END AS status
        FROM checks WHERE id > ? ORDER BY id LIMIT ?`,
      args: [checkCursor, PAGE],
    },
    {
      // `first` marks the initial population of the catalog (the first sync ever): those
      // models are not news.
      sql: `SELECT e.id, e.model_id, e.kind, e.at, e.run_id, e.detail,
          e.at = (SELECT MIN(at) FROM catalog_events) AS first,
          (SELECT c.detail FROM model_capabilities c
            WHERE c.model_id = e.model_id AND c.capability = e.detail) AS capability_detail
        FROM catalog_events e WHERE e.id > ? ORDER BY e.id`,
      args: [withCatalog ? catalogCursor : Number.MAX_SAFE_INTEGER],
    },
    {
      sql: `SELECT id, expiration_date FROM models
        WHERE present = 1 AND expiration_date IS NOT NULL AND ? = 1`,
      args: [withCatalog ? 1 : 0],
    },
  ], "read");

  const checks: CheckLine[] = checksRs.rows.map((r) => ({
    id: num(r.id),
    model_id: str(r.model_id),
    run_id: num(r.run_id),
    status: str(r.status) as CheckStatus,
    checked_at: num(r.checked_at),
  }));
  const byModel = new Map<string, CheckLine[]>();
  for (const c of checks) {
    const list = byModel.get(c.model_id) ?? [];
    list.push(c);
    byModel.set(c.model_id, list);
  }

  const expiring = expiringRs.rows.flatMap((r) => {
    const date = strOrNull(r.expiration_date);
    const days = date === null ? null : daysUntil(date, now);
    return days !== null && days >= 0 && days <= rules.expiryDays
      ? [{ id: str(r.id), date: date as string, days }]
      : [];
  });

  const ids = new Set<string>([
    ...byModel.keys(),
    ...catalogRs.rows.map((r) => str(r.model_id)),
    ...expiring.map((e) => e.id),
  ]);
  const [states, names] = await Promise.all([
    loadAlertStates(client, [...byModel.keys()]),
    modelNames(store, [...ids]),
  ]);
  const nameOf = (id: string) => names.get(id) ?? id;

  const events: NewAlertEvent[] = [];
  const nextStates = new Map<string, ModelAlertState>();
  for (const [id, list] of byModel) {
    const start = states.get(id) ?? INITIAL_STATE;
    const { state, transitions } = replay(start, list, rules);
    nextStates.set(id, state);
    for (const t of transitions) {
      const check = t.check as CheckLine;
      const name = nameOf(id);
      if (t.transition === "down") {
        // The streak may have begun in an earlier pass: its statuses are read back.
        const failures = t.failures.length >= Math.min(t.streak, MAX_LISTED_FAILURES)
          ? t.failures
          : await streakStatuses(client, id, check, Math.min(t.streak, MAX_LISTED_FAILURES));
        events.push({
          kind: "model_down",
          model_id: id,
          at: check.checked_at,
          run_id: check.run_id,
          dedupe_key: `down:${id}:${check.id}`,
          title: `${name} is down`,
          message: `${id} failed ${plural(t.streak, "check")} in a row (${
            t.streak > failures.length ? "…, " : ""
          }${failures.join(", ")}). Scouter will say when it answers again.`,
          details: { model_name: name, failures, streak: t.streak },
        });
      } else {
        const since = t.before.changedAt;
        events.push({
          kind: "model_recovered",
          model_id: id,
          at: check.checked_at,
          run_id: check.run_id,
          dedupe_key: `recovered:${id}:${check.id}`,
          title: `${name} is back`,
          message: `${id} answered ${plural(rules.recoverAfter, "check")} in a row` +
            (since === null
              ? "."
              : `; it was down from ${new Date(since).toISOString()} (${
                duration(check.checked_at - since)
              }).`),
          details: { model_name: name, streak: rules.recoverAfter, down_since: since },
        });
      }
    }
  }

  for (const r of catalogRs.rows) {
    const id = str(r.model_id);
    const kind = str(r.kind);
    const name = nameOf(id);
    const base = {
      model_id: id,
      at: num(r.at),
      run_id: numOrNull(r.run_id),
      dedupe_key: `catalog:${num(r.id)}`,
    };
    if (kind === "capability_lost") {
      // Verified before, failed now (lib/db/capabilities.ts wrote the event with the verdict).
      const capability = strOrNull(r.detail) ?? "a capability";
      const detail = strOrNull(r.capability_detail);
      events.push({
        ...base,
        kind: "capability_lost",
        title: `${name} fails its ${capability} check`,
        message: `${id} passed its ${capability} check before; the latest one failed` +
          (detail ? `: ${detail}.` : ".") + " The catalog still claims it.",
        details: { model_name: name, capability, capability_detail: detail },
      });
    } else if (kind === "removed") {
      events.push({
        ...base,
        kind: "model_removed",
        title: `Free model gone: ${name}`,
        message: `${id} is no longer in OpenRouter's free catalog.`,
        details: { model_name: name },
      });
    } else if (kind === "returned" || (kind === "added" && numOrNull(r.first) !== 1)) {
      const returned = kind === "returned";
      events.push({
        ...base,
        kind: "model_added",
        title: `${returned ? "Free again" : "New free model"}: ${name}`,
        message: `${id} is in OpenRouter's free catalog${returned ? " again" : ""}.`,
        details: { model_name: name, returned },
      });
    }
  }

  for (const e of expiring) {
    const name = nameOf(e.id);
    const when = e.days === 0 ? "today" : e.days === 1 ? "in 1 day" : `in ${e.days} days`;
    events.push({
      kind: "model_expiring",
      model_id: e.id,
      at: now,
      run_id: null,
      dedupe_key: `expiring:${e.id}:${e.date}`,
      title: `${name} stops being free ${when}`,
      message: `OpenRouter lists ${e.date} as the expiration date of ${e.id}.`,
      details: { model_name: name, expiration_date: e.date, days_left: e.days },
    });
  }

  const cursorsOut = new Map<string, number>();
  if (checks.length > 0) cursorsOut.set("checks", checks[checks.length - 1].id);
  const lastCatalog = catalogRs.rows.at(-1);
  if (lastCatalog) cursorsOut.set("catalog", num(lastCatalog.id));
  return {
    pass: { events, states: nextStates, cursors: cursorsOut, now },
    more: checks.length === PAGE,
  };
}

/** SQL: a check of `checks` that failed and is blamed on OpenRouter (lib/db/rollups.ts). */
const BLAMED = "(status NOT IN ('ok', 'skipped') AND fault IS 'openrouter')";

/** Most failed statuses a down alert lists (the latest ones). */
const MAX_LISTED_FAILURES = 10;

/** The statuses of a model's latest `n` measured checks up to `last`, oldest first. */
async function streakStatuses(
  client: Store["client"],
  id: string,
  last: { checked_at: number; id: number },
  n: number,
): Promise<CheckStatus[]> {
  const rs = await client.execute({
    sql: `SELECT status FROM checks
      WHERE model_id = ? AND status <> 'skipped' AND NOT ${BLAMED}
        AND (checked_at < ? OR (checked_at = ? AND id <= ?))
      ORDER BY checked_at DESC, id DESC LIMIT ?`,
    args: [id, last.checked_at, last.checked_at, last.id, n],
  });
  return rs.rows.map((r) => str(r.status) as CheckStatus).reverse();
}

async function modelNames(store: Store, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rs = await store.client.execute({
    sql: "SELECT id, name FROM models WHERE id IN (SELECT value FROM json_each(?))",
    args: [JSON.stringify(ids)],
  });
  return new Map(rs.rows.map((r) => [str(r.id), str(r.name)]));
}

/** Whole UTC days from `now`'s date to `date` (YYYY-MM-DD); null when it is not a date. */
export function daysUntil(date: string, now: number): number | null {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(t)) return null;
  const today = Date.UTC(
    new Date(now).getUTCFullYear(),
    new Date(now).getUTCMonth(),
    new Date(now).getUTCDate(),
  );
  return Math.round((t - today) / DAY_MS);
}

function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 6) / 10;
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 2.4) / 10} days`;
}
