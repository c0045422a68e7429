import assert from "node:assert/strict";
import { runAlertPass } from "../../lib/alerts/engine.ts";
import { insertEndpointFetch } from "../../lib/db/endpoint_stats.ts";
import { collectMetrics } from "../../lib/metrics/collect.ts";
import { escapeLabelValue, renderFamilies } from "../../lib/metrics/prometheus.ts";
import type { ScannerStatus } from "../../lib/scan/status.ts";
import { openTestStore, type SeedCheck, seedStore } from "../seed.ts";
import { parsePrometheus, valueOf } from "./parse_prometheus.ts";

const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 27, 12);
const HOSTILE = 'evil/"quoted"\\back\nslash:free';
const IDLE: ScannerStatus = {
  enabled: true,
  disabled_reason: null,
  schedule: "every 1 h",
  running: null,
  next_scan_at: null,
};

Deno.test("the writer: escaping, missing values left out, names checked", () => {
  assert.equal(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  const text = renderFamilies([{
    name: "x_total",
    help: "Help with a \\ and\na newline.",
    type: "counter",
    samples: [{ labels: { a: 'q"' }, value: 1.5 }, { value: null }, { value: Infinity }],
  }]);
  assert.equal(
    text,
    '# HELP x_total Help with a \\\\ and\\na newline.\n# TYPE x_total counter\nx_total{a="q\\""} 1.5\n',
  );
  assert.throws(() => renderFamilies([{ name: "bad-name", help: "", type: "gauge", samples: [] }]));
});

Deno.test("metrics: per model status, uptime per window, latency; checks and scans", async () => {
  await using db = await openTestStore();
  const checks: SeedCheck[] = [];
  for (let i = 1; i <= 4; i++) {
    checks.push({
      model_id: "good/a:free",
      checked_at: NOW - i * H,
      status: "ok",
      latency_ms: 1000 * i,
      ttft_ms: 100 * i,
    });
    checks.push({
      model_id: HOSTILE,
      checked_at: NOW - i * H + 1,
      status: i === 4 ? "ok" : "unavailable",
    });
  }
  checks.push({ model_id: "good/a:free", checked_at: NOW - 20 * 86_400_000, status: "timeout" });
  checks.push({ model_id: "good/a:free", checked_at: NOW - 30 * 60_000, status: "skipped" });
  await seedStore(db.store, { checks });
  await runAlertPass(db.store, { downAfter: 3, recoverAfter: 2, expiryDays: 7 }, NOW, "t");
  await insertEndpointFetch(db.store.client, {
    model_id: "good/a:free",
    run_id: null,
    fetched_at: NOW - H,
    endpoints: [{
      name: null,
      provider_name: "Chutes",
      tag: "chutes",
      status: 0,
      context_length: null,
      max_completion_tokens: null,
      quantization: null,
      uptime_5m: null,
      uptime_30m: 99.5,
      uptime_1d: 97,
      latency_ms: null,
      throughput_tps: null,
      free: true,
    }],
  });

  const text = await collectMetrics(db.store, IDLE, NOW);
  const p = parsePrometheus(text);
  for (const name of new Set(p.samples.map((s) => s.name))) {
    assert.ok(p.help.has(name) && p.types.get(name) === "gauge", name);
  }
  const good = { model_id: "good/a:free" };
  assert.equal(valueOf(p, "scouter_model_up", good), 1);
  assert.equal(
    valueOf(p, "scouter_model_up", { model_id: HOSTILE }),
    0,
    "the hostile id survives escaping",
  );
  assert.equal(valueOf(p, "scouter_model_health", { ...good, health: "healthy" }), 1);
  assert.equal(valueOf(p, "scouter_model_health", { ...good, health: "down" }), 0);
  assert.equal(valueOf(p, "scouter_model_uptime_ratio", { ...good, window: "24h" }), 1);
  assert.equal(valueOf(p, "scouter_model_uptime_ratio", { ...good, window: "30d" }), 0.8);
  assert.equal(
    valueOf(p, "scouter_model_uptime_ratio", { model_id: HOSTILE, window: "24h" }),
    0.25,
  );
  assert.equal(valueOf(p, "scouter_model_latency_seconds", { ...good, quantile: "0.5" }), 2);
  assert.equal(valueOf(p, "scouter_model_ttft_seconds", { ...good, quantile: "0.5" }), 0.2);
  assert.equal(valueOf(p, "scouter_model_last_check_timestamp_seconds", good), (NOW - H) / 1000);
  assert.equal(valueOf(p, "scouter_checks", { status: "ok" }), 5);
  assert.equal(valueOf(p, "scouter_checks", { status: "unavailable" }), 3);
  assert.equal(valueOf(p, "scouter_checks", { status: "skipped" }), 1);
  assert.equal(valueOf(p, "scouter_checks", { status: "timeout" }), 0, "older than 24 h");
  assert.equal(valueOf(p, "scouter_scans", { status: "completed" }), 3, "within 24 h");
  assert.equal(valueOf(p, "scouter_scans", { status: "quota_exhausted" }), 1);
  assert.equal(valueOf(p, "scouter_last_scan_status", { status: "quota_exhausted" }), 1);
  assert.equal(typeof valueOf(p, "scouter_last_scan_duration_seconds"), "number");
  assert.equal(valueOf(p, "scouter_scan_running"), 0);
  assert.equal(valueOf(p, "scouter_models", { health: "healthy" }), 1);
  assert.equal(valueOf(p, "scouter_alert_events", { kind: "model_down" }), 1);
  assert.equal(
    valueOf(p, "scouter_alert_events", { kind: "model_recovered" }),
    0,
    "recovered needs 2 oks",
  );
  assert.equal(
    valueOf(p, "scouter_openrouter_endpoint_uptime_ratio", {
      ...good,
      provider: "Chutes",
      window: "1d",
    }),
    0.97,
  );
});

Deno.test("an empty database still gives a valid exposition", async () => {
  await using db = await openTestStore();
  const p = parsePrometheus(await collectMetrics(db.store, { ...IDLE, enabled: false }, NOW));
  assert.equal(valueOf(p, "scouter_scanning_enabled"), 0);
  assert.equal(valueOf(p, "scouter_last_scan_duration_seconds"), undefined, "no data: no sample");
  assert.equal(valueOf(p, "scouter_models", { health: "no_data" }), 0);
});
