import assert from "node:assert/strict";
import { healthOf, percentile, uptimePercent } from "../../lib/stats/health.ts";
import { statusLabel } from "../../lib/stats/labels.ts";
import { HEALTH_DEFINITIONS, HEALTHS } from "../../lib/stats/types.ts";

const base = {
  measured: 10,
  latestOk: true,
  consecutiveFailures: 0,
  uptime24h: 100,
  p50Latency24h: 800,
};

Deno.test("healthOf: each rule of the definitions", () => {
  assert.equal(healthOf(base), "healthy");
  assert.equal(healthOf({ ...base, uptime24h: 95 }), "healthy");
  assert.equal(healthOf({ ...base, uptime24h: 94.9 }), "degraded");
  assert.equal(healthOf({ ...base, p50Latency24h: 10_000 }), "healthy");
  assert.equal(healthOf({ ...base, p50Latency24h: 10_001 }), "degraded");
  assert.equal(healthOf({ ...base, latestOk: false, consecutiveFailures: 1 }), "degraded");
  assert.equal(healthOf({ ...base, latestOk: false, consecutiveFailures: 2 }), "down");
  assert.equal(healthOf({ ...base, measured: 1, latestOk: false, consecutiveFailures: 1 }), "down");
  assert.equal(healthOf({ ...base, measured: 0, latestOk: null }), "no_data");
  // Nothing measured over 24 h (uptime null): old news is no health at all, good or bad.
  assert.equal(healthOf({ ...base, uptime24h: null, p50Latency24h: null }), "no_data");
  assert.equal(
    healthOf({ ...base, latestOk: false, consecutiveFailures: 5, uptime24h: null }),
    "no_data",
  );
});

Deno.test("percentile: nearest rank; null for none", () => {
  assert.equal(percentile([], 50), null);
  assert.equal(percentile([7], 95), 7);
  assert.equal(percentile([1, 2, 3, 4], 50), 2);
  assert.equal(percentile([1, 2, 3, 4, 5], 50), 3);
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(hundred, 95), 95);
  assert.equal(percentile(hundred, 100), 100);
});

Deno.test("uptimePercent: one decimal, null (not 0) when nothing was measured", () => {
  assert.equal(uptimePercent(0, 0), null);
  assert.equal(uptimePercent(0, 3), 0);
  assert.equal(uptimePercent(2, 3), 66.7);
  assert.equal(uptimePercent(1, 3), 33.3);
  assert.equal(uptimePercent(19, 20), 95);
});

Deno.test("statusLabel: the Python scouter's labels", () => {
  assert.equal(statusLabel("ok", 200), "OK");
  assert.equal(statusLabel("rate_limited", 429), "429");
  assert.equal(statusLabel("unavailable", 502), "HTTP 502");
  assert.equal(statusLabel("unavailable", 200), "FAIL"); // an error inside a 200
  assert.equal(statusLabel("timeout", null), "TIMEOUT");
  assert.equal(statusLabel("network_error", null), "FAIL");
  assert.equal(statusLabel("skipped", null), "SKIPPED");
});

Deno.test("HEALTH_DEFINITIONS: a text for every health", () => {
  assert.deepEqual(Object.keys(HEALTH_DEFINITIONS), [...HEALTHS]);
});
