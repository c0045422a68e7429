/**
 * GET /metrics: Scouter's state as Prometheus gauges — each model's status, health, uptime per
 * window, latency and time to first token, the last 24 h of checks by category and of scans by
 * outcome, the last scan's duration, alerts, and OpenRouter's own endpoint uptime. Gauges, not
 * counters: they are read from the stored history, which old data may leave (rollups, pruning).
 */
import { deliveryCounts } from "../db/alert_outbox.ts";
import { latestEndpointFetches } from "../db/endpoint_stats.ts";
import type { Store } from "../db/store.ts";
import { num, str } from "../db/values.ts";
import { CHECK_STATUSES } from "../domain/check.ts";
import {
  HEALTHS,
  lastFinishedRun,
  modelSummaries,
  RANGE_MS,
  rangeStatsByModel,
} from "../stats/mod.ts";
import { SCOUTER_VERSION } from "../version.ts";
import type { ScannerStatus } from "../scan/status.ts";
import type { QuotaSnapshot } from "../scan/quota.ts";
import { type Family, renderFamilies, type Sample } from "./prometheus.ts";

const RUN_OUTCOMES = ["completed", "quota_exhausted", "aborted", "failed", "interrupted"];

export async function collectMetrics(
  store: Store,
  scanner: ScannerStatus,
  now: number,
  /** The day's free-model quota (GET /api/summary's `quota`); null when scanning is off. */
  quota: QuotaSnapshot | null = null,
): Promise<string> {
  const [models, day, month, lastRun, runs, deliveries, alertKinds, endpoints] = await Promise.all([
    modelSummaries(store, now),
    rangeStatsByModel(store, "24h", now),
    rangeStatsByModel(store, "30d", now),
    lastFinishedRun(store),
    store.client.execute({
      sql: `SELECT status, COUNT(*) AS n FROM runs WHERE started_at > ? AND started_at <= ?
        GROUP BY status`,
      args: [now - RANGE_MS["24h"], now],
    }),
    deliveryCounts(store.client),
    store.client.execute({
      sql: `SELECT kind, COUNT(*) AS n FROM alert_events WHERE at > ? AND at <= ? GROUP BY kind`,
      args: [now - RANGE_MS["24h"], now],
    }),
    latestEndpointFetches(store.client, { now }),
  ]);

  const byModel = (f: (m: typeof models[number]) => number | null): Sample[] =>
    models.map((m) => ({ labels: { model_id: m.model_id }, value: f(m) }));
  const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);
  const ratio = (pct: number | null) => (pct === null ? null : pct / 100);

  const checksByStatus = new Map<string, number>(CHECK_STATUSES.map((s) => [s, 0]));
  for (const st of day.values()) {
    checksByStatus.set("ok", (checksByStatus.get("ok") ?? 0) + st.ok);
    checksByStatus.set("skipped", (checksByStatus.get("skipped") ?? 0) + st.skipped);
    for (const [k, n] of Object.entries(st.failures_by_category)) {
      checksByStatus.set(k, (checksByStatus.get(k) ?? 0) + (n ?? 0));
    }
  }
  const runCounts = new Map(runs.rows.map((r) => [str(r.status), num(r.n)]));
  const kindCounts = new Map(alertKinds.rows.map((r) => [str(r.kind), num(r.n)]));

  const families: Family[] = [
    {
      name: "scouter_build_info",
      help: "Scouter's version.",
      type: "gauge",
      samples: [{ labels: { version: SCOUTER_VERSION }, value: 1 }],
    },
    {
      name: "scouter_models",
      help: "Free models in OpenRouter's catalog now, by health.",
      type: "gauge",
      samples: HEALTHS.map((h) => ({
        labels: { health: h },
        value: models.filter((m) => m.present && m.health === h).length,
      })),
    },
    {
      name: "scouter_model_up",
      help: "1 when the model's latest measured check answered correctly, else 0.",
      type: "gauge",
      samples: byModel((
        m,
      ) => (m.latest_category === null ? null : m.latest_category === "ok" ? 1 : 0)),
    },
    {
      name: "scouter_model_health",
      help: "The model's health (healthy, degraded, down, no_data): 1 for its current one.",
      type: "gauge",
      samples: models.flatMap((m) =>
        HEALTHS.map((h) => ({
          labels: { model_id: m.model_id, health: h },
          value: m.health === h ? 1 : 0,
        }))
      ),
    },
    {
      name: "scouter_model_in_catalog",
      help: "1 when the model is in OpenRouter's free catalog now.",
      type: "gauge",
      samples: byModel((m) => (m.present ? 1 : 0)),
    },
    {
      name: "scouter_model_consecutive_failures",
      help: "Measured checks failed since the model's latest ok one.",
      type: "gauge",
      samples: byModel((m) => m.consecutive_failures),
    },
    {
      name: "scouter_model_uptime_ratio",
      help:
        "Share of measured checks answered correctly over the window (0-1); absent without data.",
      type: "gauge",
      samples: models.flatMap((m) => [
        { labels: { model_id: m.model_id, window: "24h" }, value: ratio(m.uptime_24h) },
        { labels: { model_id: m.model_id, window: "7d" }, value: ratio(m.uptime_7d) },
        {
          labels: { model_id: m.model_id, window: "30d" },
          value: ratio(month.get(m.model_id)?.uptime ?? null),
        },
      ]),
    },
    {
      name: "scouter_model_latency_seconds",
      help: "Latency of the model's ok checks over 24 h, by quantile.",
      type: "gauge",
      samples: models.flatMap((m) => [
        { labels: { model_id: m.model_id, quantile: "0.5" }, value: seconds(m.p50_latency_24h) },
        { labels: { model_id: m.model_id, quantile: "0.95" }, value: seconds(m.p95_latency_24h) },
      ]),
    },
    {
      name: "scouter_model_ttft_seconds",
      help: "Time to first token of the model's ok checks over 24 h, by quantile.",
      type: "gauge",
      samples: models.flatMap((m) => {
        const st = day.get(m.model_id);
        return [
          {
            labels: { model_id: m.model_id, quantile: "0.5" },
            value: seconds(st?.p50_ttft_ms ?? null),
          },
          {
            labels: { model_id: m.model_id, quantile: "0.95" },
            value: seconds(st?.p95_ttft_ms ?? null),
          },
        ];
      }),
    },
    {
      name: "scouter_model_last_check_timestamp_seconds",
      help: "When the model's latest measured check ran (Unix time).",
      type: "gauge",
      samples: byModel((
        m,
      ) => (m.latest_checked_at ? Date.parse(m.latest_checked_at) / 1000 : null)),
    },
    {
      name: "scouter_checks",
      help: "Checks of every model over the last 24 h, by category.",
      type: "gauge",
      samples: [...checksByStatus].map(([status, n]) => ({ labels: { status }, value: n })),
    },
    {
      name: "scouter_scans",
      help: "Scans started over the last 24 h, by outcome (running included).",
      type: "gauge",
      samples: ["running", ...RUN_OUTCOMES].map((s) => ({
        labels: { status: s },
        value: runCounts.get(s) ?? 0,
      })),
    },
    {
      name: "scouter_scan_running",
      help: "1 while a scan runs on this database.",
      type: "gauge",
      samples: [{ value: scanner.running ? 1 : 0 }],
    },
    {
      name: "scouter_scanning_enabled",
      help: "1 when this server scans (an API key is set).",
      type: "gauge",
      samples: [{ value: scanner.enabled ? 1 : 0 }],
    },
    {
      name: "scouter_last_scan_duration_seconds",
      help: "How long the latest finished scan took.",
      type: "gauge",
      samples: [{
        value: lastRun?.finished_at
          ? (Date.parse(lastRun.finished_at) - Date.parse(lastRun.started_at)) / 1000
          : null,
      }],
    },
    {
      name: "scouter_last_scan_timestamp_seconds",
      help: "When the latest finished scan ended (Unix time).",
      type: "gauge",
      samples: [{ value: lastRun?.finished_at ? Date.parse(lastRun.finished_at) / 1000 : null }],
    },
    {
      name: "scouter_last_scan_status",
      help: "The latest finished scan's outcome: 1 for its status.",
      type: "gauge",
      samples: lastRun
        ? RUN_OUTCOMES.map((s) => ({ labels: { status: s }, value: lastRun.status === s ? 1 : 0 }))
        : [],
    },
    {
      name: "scouter_last_scan_checks",
      help: "Checks of the latest finished scan, by result.",
      type: "gauge",
      samples: lastRun
        ? [
          { labels: { result: "ok" }, value: lastRun.ok_count },
          { labels: { result: "failed" }, value: lastRun.failed_count },
          { labels: { result: "skipped" }, value: lastRun.skipped_count },
        ]
        : [],
    },
    {
      name: "scouter_alert_events",
      help: "Alert events over the last 24 h, by kind.",
      type: "gauge",
      samples: ["model_down", "model_recovered", "model_added", "model_removed", "model_expiring"]
        .map((k) => ({ labels: { kind: k }, value: kindCounts.get(k) ?? 0 })),
    },
    {
      name: "scouter_alert_deliveries",
      help: "Webhook deliveries in the outbox, by status.",
      type: "gauge",
      samples: Object.entries(deliveries).map(([status, n]) => ({ labels: { status }, value: n })),
    },
    {
      name: "scouter_openrouter_endpoint_uptime_ratio",
      help: "OpenRouter's own uptime of each endpoint (provider) of a model, at the latest scan.",
      type: "gauge",
      samples: endpoints.flatMap((f) =>
        f.endpoints.flatMap((e) => {
          const labels = { model_id: f.model_id, provider: e.provider_name ?? e.tag ?? "unknown" };
          return [
            { labels: { ...labels, window: "30m" }, value: ratio(e.uptime_30m) },
            { labels: { ...labels, window: "1d" }, value: ratio(e.uptime_1d) },
          ];
        })
      ),
    },
    ...quotaFamilies(quota),
  ];
  return renderFamilies(families);
}

/** scouter_quota_*: the day's free-model requests; none when the quota is unknown. */
function quotaFamilies(q: QuotaSnapshot | null): Family[] {
  if (!q) return [];
  const labels = { source: q.source };
  const gauge = (name: string, help: string, value: number): Family => ({
    name,
    help,
    type: "gauge",
    samples: [{ labels, value }],
  });
  return [
    gauge("scouter_quota_limit", "Free-model requests the account may make this UTC day.", q.limit),
    gauge("scouter_quota_remaining", "Free-model requests left this UTC day.", q.remaining),
    gauge("scouter_quota_used", "Free-model requests used this UTC day.", q.used),
    gauge(
      "scouter_quota_resets_at_timestamp_seconds",
      "When the daily free-model quota resets (the next UTC midnight).",
      Date.parse(q.resets_at) / 1000,
    ),
  ];
}
