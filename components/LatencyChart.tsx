/** A model's latency and TTFT over a range, failures marked by category, with a legend. */
import type { HistoryPoint } from "../lib/stats/types.ts";
import { CATEGORY_TEXT } from "../lib/stats/labels.ts";
import { Island } from "../lib/web/islands.tsx";
import { CATEGORY_COLOR, failureCategories, latencyOption, SERIES_COLOR } from "./chart_options.ts";
import { Swatch } from "./Swatch.tsx";

export interface LatencyChartProps {
  history: HistoryPoint[];
  /** The model's name, for the chart's accessible name. */
  name: string;
  rangeLabel: string;
}

export function LatencyChart({ history, name, rangeLabel }: LatencyChartProps) {
  const measured = history.filter((p) => p.status !== "skipped");
  if (measured.length === 0) {
    return (
      <p class="text-sm text-slate-600 dark:text-slate-400">No measured check in this range.</p>
    );
  }
  const categories = failureCategories(history);
  const label = `Latency and time to first token of ${name} over ${rangeLabel}` +
    (categories.length ? `, with failed checks marked by category` : "");
  return (
    <figure class="space-y-2">
      <div class="chart-frame rounded-lg border border-slate-200 p-2 dark:border-slate-800">
        <Island
          name="Chart"
          props={{ option: latencyOption(history), width: 1040, height: 340, label }}
        />
      </div>
      <figcaption>
        <ul class="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
          <li class="flex items-center gap-1.5">
            <Swatch color={SERIES_COLOR.latency} />latency
          </li>
          <li class="flex items-center gap-1.5">
            <Swatch color={SERIES_COLOR.ttft} />time to first token
          </li>
          {categories.map((c) => (
            <li key={c} class="flex items-center gap-1.5">
              <Swatch color={CATEGORY_COLOR[c]} shape="triangle" />
              {CATEGORY_TEXT[c]}
            </li>
          ))}
        </ul>
        {categories.length > 0 && (
          <p class="mt-1 text-xs text-slate-500 dark:text-slate-400">
            Failed checks are triangles at the time they took (at 0 when they had none).
          </p>
        )}
      </figcaption>
    </figure>
  );
}
