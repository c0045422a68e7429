/**
 * ECharts options for the pages' charts. Plain JSON only (they travel as island props): no
 * formatter functions, no Dates; times are epoch ms on a time axis. Colours are chosen to read
 * on both the light and the dark background, since the server's SVG cannot know the theme.
 */
import type { BucketStats, FailureStatus, FleetPoint, HistoryPoint } from "../lib/stats/types.ts";
import { CATEGORY_TEXT } from "../lib/stats/labels.ts";
import type { ChartOption } from "../islands/chart_setup.ts";

const AXIS_TEXT = "#94a3b8"; // slate-400
const AXIS_LINE = "#64748b"; // slate-500
const GRID_LINE = "rgba(148, 163, 184, 0.25)";

export const SERIES_COLOR = {
  availability: "#10b981", // emerald-500
  latency: "#0ea5e9", // sky-500
  latencyTail: "#7dd3fc", // sky-300
  ttft: "#14b8a6", // teal-500
};

/** One colour per failure category, for markers and legends. */
export const CATEGORY_COLOR: Record<FailureStatus, string> = {
  wrong_answer: "#f59e0b",
  empty_response: "#eab308",
  rate_limited: "#f97316",
  unavailable: "#ef4444",
  not_found: "#b91c1c",
  rejected: "#ec4899",
  timeout: "#a855f7",
  invalid_response: "#78716c",
  network_error: "#6366f1",
};

const timeAxis = {
  type: "time" as const,
  axisLabel: { color: AXIS_TEXT, hideOverlap: true },
  axisLine: { lineStyle: { color: AXIS_LINE } },
  splitLine: { show: false },
};

function valueAxis(formatter: string, extra: Record<string, number> = {}) {
  return {
    type: "value" as const,
    ...extra,
    axisLabel: { color: AXIS_TEXT, formatter },
    splitLine: { lineStyle: { color: GRID_LINE } },
  };
}

/** The whole fleet's availability per bucket, as an area line with gaps where nothing ran. */
export function fleetAvailabilityOption(points: readonly FleetPoint[]): ChartOption {
  return {
    grid: { left: 48, right: 16, top: 16, bottom: 28 },
    tooltip: { trigger: "axis" },
    xAxis: timeAxis,
    yAxis: valueAxis("{value} %", { min: 0, max: 100, interval: 50 }),
    series: [{
      type: "line",
      name: "Answered correctly (%)",
      data: withLoneDots(points.map((p) => [p.t, p.availability]), 3),
      symbol: "none",
      connectNulls: false,
      color: SERIES_COLOR.availability,
      lineStyle: { width: 1.5 },
      areaStyle: { opacity: 0.15 },
    }],
  };
}

/** A point of a line series: `[t, value]`, or with its own dot (see withLoneDots). */
export type LinePoint = [number, number | null] | {
  value: [number, number | null];
  symbol: "circle";
  symbolSize: number;
};

/**
 * A line's points, with a dot on each point that has no neighbour on either side (a line
 * between gaps cannot draw it alone) and on no other: every dot is an SVG element, and a year
 * of them made a chart's SVG several times larger. The series sets `symbol: "none"`.
 */
export function withLoneDots(
  points: readonly [number, number | null][],
  size: number,
): LinePoint[] {
  const values = points.map(([, v]) => v);
  return points.map((p, i) =>
    isLone(values, i) ? { value: p, symbol: "circle", symbolSize: size } : p
  );
}

function isLone(values: readonly (number | null)[], i: number): boolean {
  return values[i] !== null && (values[i - 1] ?? null) === null &&
    (values[i + 1] ?? null) === null;
}

/** Failure categories present in `history`, most frequent first. */
export function failureCategories(history: readonly HistoryPoint[]): FailureStatus[] {
  const counts = new Map<FailureStatus, number>();
  for (const p of history) {
    if (p.status !== "ok" && p.status !== "skipped") {
      counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
    }
  }
  return byCount(counts);
}

/** Failure categories present in `buckets`, most frequent first. */
export function bucketFailureCategories(buckets: readonly BucketStats[]): FailureStatus[] {
  const counts = new Map<FailureStatus, number>();
  for (const b of buckets) {
    for (const [category, n] of Object.entries(b.failures_by_category)) {
      const c = category as FailureStatus;
      counts.set(c, (counts.get(c) ?? 0) + (n ?? 0));
    }
  }
  return byCount(counts);
}

function byCount(counts: Map<FailureStatus, number>): FailureStatus[] {
  return [...counts].sort((a, b) => b[1] - a[1]).map(([s]) => s);
}

/**
 * A model's latency and time to first token over time (answered checks), with each failed
 * check a triangle coloured by category, at its latency (0 when it had none). Skipped checks
 * are left out: they measured nothing.
 */
export function latencyOption(history: readonly HistoryPoint[]): ChartOption {
  const t = (p: HistoryPoint) => Date.parse(p.run_datetime);
  const ok = history.filter((p) => p.status === "ok");
  const failures = failureCategories(history).map((category) => ({
    type: "scatter" as const,
    name: CATEGORY_TEXT[category],
    data: history.filter((p) => p.status === category).map((p) => [t(p), p.latency_ms ?? 0]),
    symbol: "triangle",
    symbolSize: 8,
    color: CATEGORY_COLOR[category],
  }));
  return {
    grid: { left: 56, right: 16, top: 16, bottom: 28 },
    tooltip: { trigger: "axis" },
    xAxis: timeAxis,
    yAxis: valueAxis("{value} ms", { min: 0 }),
    series: [
      {
        type: "line",
        name: "Latency (ms)",
        data: ok.map((p) => [t(p), p.latency_ms]),
        showSymbol: ok.length < 60,
        symbolSize: 4,
        color: SERIES_COLOR.latency,
        lineStyle: { width: 1.5 },
      },
      {
        type: "line",
        name: "TTFT (ms)",
        data: ok.map((p) => [t(p), p.ttft_ms]),
        showSymbol: ok.length < 60,
        symbolSize: 4,
        color: SERIES_COLOR.ttft,
        lineStyle: { width: 1.5, type: "dashed" },
      },
      ...failures,
    ],
  };
}

/**
 * A model's latency per bucket (hourly or daily, from the rollups): p50 and p95 latency and p50
 * time to first token of the answered checks as lines (broken where a bucket has none), and the
 * failed checks of each bucket as bars stacked by category on a second axis.
 */
export function latencyBucketsOption(buckets: readonly BucketStats[]): ChartOption {
  const line = (
    name: string,
    value: (b: BucketStats) => number | null,
    color: string,
    type: "solid" | "dashed" | "dotted",
  ) => {
    return {
      type: "line" as const,
      name,
      data: withLoneDots(buckets.map((b) => [b.t, value(b)]), 4),
      connectNulls: false,
      symbol: "none",
      color,
      lineStyle: { width: 1.5, type },
    };
  };
  const failures = bucketFailureCategories(buckets).map((category) => ({
    type: "bar" as const,
    name: CATEGORY_TEXT[category],
    stack: "failures",
    yAxisIndex: 1,
    barMaxWidth: 12,
    // null, not 0, where none failed: ECharts draws no bar for it (a year of zero-height
    // bars per category made the page's SVG 400 KB).
    data: buckets.map((b) => [b.t, b.failures_by_category[category] ?? null]),
    color: CATEGORY_COLOR[category],
  }));
  return {
    grid: { left: 56, right: 48, top: 16, bottom: 28 },
    tooltip: { trigger: "axis" },
    xAxis: timeAxis,
    yAxis: [
      valueAxis("{value} ms", { min: 0 }),
      {
        ...valueAxis("{value}", { min: 0, minInterval: 1 }),
        position: "right" as const,
        splitLine: { show: false },
      },
    ],
    series: [
      line("p50 latency (ms)", (b) => b.p50_latency_ms, SERIES_COLOR.latency, "solid"),
      line("p95 latency (ms)", (b) => b.p95_latency_ms, SERIES_COLOR.latencyTail, "dotted"),
      line("p50 TTFT (ms)", (b) => b.p50_ttft_ms, SERIES_COLOR.ttft, "dashed"),
      ...failures,
    ],
  };
}
