/**
 * A model's latency and TTFT over a range, failures marked by category, with a legend: check by
 * check for short ranges, per hour, day or week (from the rollups) otherwise.
 */
import type { FailureStatus } from "../lib/stats/types.ts";
import type { LatencySeries } from "../lib/stats/latency_series.ts";
import { CATEGORY_TEXT } from "../lib/stats/labels.ts";
import { DAY_MS } from "../lib/db/rollups.ts";
import { WEEK_MS } from "../lib/stats/timeline.ts";
import { Island } from "../lib/web/islands.tsx";
import type { ChartOption } from "../islands/chart_setup.ts";
import {
  bucketFailureCategories,
  CATEGORY_COLOR,
  failureCategories,
  latencyBucketsOption,
  latencyOption,
  SERIES_COLOR,
} from "./chart_options.ts";
import { Swatch } from "./Swatch.tsx";

export interface LatencyChartProps {
  series: LatencySeries;
  /** The model's name, for the chart's accessible name. */
  name: string;
  rangeLabel: string;
}

interface Drawing {
  option: ChartOption;
  lines: { label: string; color: string }[];
  categories: FailureStatus[];
  shape: "square" | "triangle";
  /** How failures are drawn, under the legend. */
  note: string;
  /** What the chart's accessible name calls the lines. */
  what: string;
}

function drawingOf(series: LatencySeries): Drawing | null {
  if (series.kind === "checks") {
    if (!series.points.some((p) => p.status !== "skipped")) return null;
    return {
      option: latencyOption(series.points),
      lines: [
        { label: "latency", color: SERIES_COLOR.latency },
        { label: "time to first token", color: SERIES_COLOR.ttft },
      ],
      categories: failureCategories(series.points),
      shape: "triangle",
      note: "Failed checks are triangles at the time they took (at 0 when they had none).",
      what: "Latency and time to first token",
    };
  }
  if (!series.buckets.some((b) => b.checks > 0)) return null;
  const per = series.step >= WEEK_MS ? "week" : series.step >= DAY_MS ? "day" : "hour";
  return {
    option: latencyBucketsOption(series.buckets),
    lines: [
      { label: "p50 latency", color: SERIES_COLOR.latency },
      { label: "p95 latency", color: SERIES_COLOR.latencyTail },
      { label: "p50 time to first token", color: SERIES_COLOR.ttft },
    ],
    categories: bucketFailureCategories(series.buckets),
    shape: "square",
    note: `Percentiles of the answered checks of each ${per}; bars count the failed checks of ` +
      `each ${per} by category (right axis).`,
    what: `Latency and time to first token per ${per}`,
  };
}

export function LatencyChart({ series, name, rangeLabel }: LatencyChartProps) {
  const drawing = drawingOf(series);
  if (!drawing) {
    return (
      <p class="text-sm text-slate-600 dark:text-slate-400">No measured check in this range.</p>
    );
  }
  const { option, lines, categories, shape, note, what } = drawing;
  const label = `${what} of ${name} over ${rangeLabel}` +
    (categories.length ? `, with failed checks marked by category` : "");
  return (
    <figure class="space-y-2">
      <div class="chart-frame rounded-lg border border-slate-200 p-2 dark:border-slate-800">
        <Island name="Chart" props={{ option, width: 1040, height: 340, label }} />
      </div>
      <figcaption>
        <ul class="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
          {lines.map((l) => (
            <li key={l.label} class="flex items-center gap-1.5">
              <Swatch color={l.color} />
              {l.label}
            </li>
          ))}
          {categories.map((c) => (
            <li key={c} class="flex items-center gap-1.5">
              <Swatch color={CATEGORY_COLOR[c]} shape={shape} />
              {CATEGORY_TEXT[c]}
            </li>
          ))}
        </ul>
        {(categories.length > 0 || series.kind === "buckets") && (
          <p class="mt-1 text-xs text-slate-500 dark:text-slate-400">{note}</p>
        )}
      </figcaption>
    </figure>
  );
}
