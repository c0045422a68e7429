import assert from "node:assert/strict";
import {
  CATEGORY_COLOR,
  failureCategories,
  fleetAvailabilityOption,
  latencyBucketsOption,
  latencyOption,
  type LinePoint,
  withLoneDots,
} from "../../components/chart_options.ts";
import { renderChartSvg } from "../../lib/web/charts.ts";
import { islandPropsJson } from "../../lib/web/islands.tsx";
import type { BucketStats, HistoryPoint } from "../../lib/stats/types.ts";
import type { CheckStatus } from "../../lib/domain/check.ts";

const T0 = Date.parse("2026-11-27T00:00:00Z");

function point(i: number, status: CheckStatus, latency: number | null): HistoryPoint {
  return {
    run_datetime: new Date(T0 + i * 3_600_000).toISOString(),
    ok: status === "ok",
    latency_ms: latency,
    status_label: status,
    status,
    ttft_ms: latency && Math.round(latency / 2),
    http_status: null,
    attempts: 1,
    provider: null,
    error: null,
    skip_reason: null,
    run_id: i,
    fault: status === "ok" ? null : "model",
    source: "probe",
  };
}

const HISTORY = [
  point(0, "ok", 900),
  point(1, "rate_limited", 300),
  point(2, "ok", 1100),
  point(3, "timeout", null),
  point(4, "rate_limited", 250),
  point(5, "skipped", null),
  point(6, "ok", 800),
];

Deno.test("latency chart: two lines of ok checks, a scatter per failure category", () => {
  assert.deepEqual(failureCategories(HISTORY), ["rate_limited", "timeout"]);
  const option = latencyOption(HISTORY);
  const series = option.series as {
    type: string;
    name: string;
    data: number[][];
    color?: string;
  }[];
  assert.deepEqual(series.map((s) => s.type), ["line", "line", "scatter", "scatter"]);
  assert.equal(series[0].data.length, 3);
  assert.deepEqual(series[2].data, [[T0 + 3_600_000, 300], [T0 + 4 * 3_600_000, 250]]);
  assert.deepEqual(series[3].data, [[T0 + 3 * 3_600_000, 0]], "no latency: at 0");
  assert.equal(series[2].color, CATEGORY_COLOR.rate_limited);
  assert.equal(series[2].name, "rate-limited upstream");
});

function bucket(i: number, p50: number | null, failures: BucketStats["failures_by_category"]) {
  const failed = Object.values(failures).reduce((a, b) => a + (b ?? 0), 0);
  const ok = p50 === null ? 0 : 20;
  return {
    t: T0 + i * 86_400_000,
    checks: ok + failed,
    ok,
    failed,
    skipped: 0,
    uptime: ok + failed ? (100 * ok) / (ok + failed) : null,
    p50_latency_ms: p50,
    p95_latency_ms: p50 && p50 * 2,
    p99_latency_ms: p50 && p50 * 3,
    p50_ttft_ms: p50 && p50 / 2,
    p95_ttft_ms: null,
    p99_ttft_ms: null,
    failures_by_category: failures,
  } satisfies BucketStats;
}

const BUCKETS = [
  bucket(0, 900, {}),
  bucket(1, null, { timeout: 3 }),
  bucket(2, 1_000, { rate_limited: 2, timeout: 5 }),
];

Deno.test("bucketed latency chart: three percentile lines, stacked failure bars per category", () => {
  const option = latencyBucketsOption(BUCKETS);
  const series = option.series as {
    type: string;
    name: string;
    data: LinePoint[];
    stack?: string;
    yAxisIndex?: number;
    connectNulls?: boolean;
  }[];
  assert.deepEqual(series.map((s) => s.type), ["line", "line", "line", "bar", "bar"]);
  const dot = (value: [number, number | null]) => ({ value, symbol: "circle", symbolSize: 4 });
  assert.deepEqual(series[0].data, [
    dot([T0, 900]),
    [T0 + 86_400_000, null],
    dot([T0 + 2 * 86_400_000, 1_000]),
  ]);
  assert.equal(series[0].connectNulls, false, "a day without answers is a gap");
  // Most frequent category first; a value for every bucket, null (no bar) where none failed.
  assert.equal(series[3].name, "timed out");
  const counts = (d: LinePoint[]) => d.map((p) => (Array.isArray(p) ? p : p.value)[1]);
  assert.deepEqual(counts(series[3].data), [null, 3, 5]);
  assert.deepEqual(counts(series[4].data), [null, null, 2]);
  assert.ok(series.slice(3).every((s) => s.stack === "failures" && s.yAxisIndex === 1));
});

Deno.test("chart options are island-safe JSON and render on the server", () => {
  const fleet = fleetAvailabilityOption([
    { t: T0, checks: 10, ok: 9, availability: 90 },
    { t: T0 + 3_600_000, checks: 0, ok: 0, availability: null },
  ]);
  const options = [fleet, latencyOption(HISTORY), latencyOption([]), latencyBucketsOption(BUCKETS)];
  for (const option of options) {
    islandPropsJson("Chart", { option, width: 600, height: 200, label: "x" }); // throws if not
    assert.match(renderChartSvg(option, { width: 600, height: 200 }), /^<svg /);
  }
});

Deno.test("a line gets a dot only where a point has no neighbour, in the data and the SVG", () => {
  const at = (values: (number | null)[]) =>
    values.map((v, i) => [T0 + i * 86_400_000, v] as [number, number | null]);
  const lone = (values: (number | null)[]) =>
    withLoneDots(at(values), 4).map((p) => !Array.isArray(p));
  assert.deepEqual(lone([1, 2, null, 3, 4]), [false, false, false, false, false]);
  assert.deepEqual(lone([1, 2, null, 3, null]), [false, false, false, true, false]);
  assert.deepEqual(lone([5]), [true]);
  assert.deepEqual(lone([null, null]), [false, false]);
  // Drawn: one circle per lone point (an arc in the SVG), none for a year of joined points.
  const circles = (values: (number | null)[]) => {
    const svg = renderChartSvg({
      xAxis: { type: "time" },
      yAxis: { type: "value" },
      series: [{
        type: "line",
        symbol: "none",
        connectNulls: false,
        data: withLoneDots(at(values), 4),
      }],
    }, { width: 400, height: 200 });
    return [...svg.matchAll(/<path d="[^"]*A[^"]*"/g)].length;
  };
  assert.equal(circles([5, null, 3, null, 2]), 3);
  assert.equal(circles(Array.from({ length: 365 }, (_, i) => 400 + (i % 7))), 0);
});
