/**
 * Routed traffic per hour: stacked bars of the answers by the model that served them, and
 * lines of the requests and the failovers. Server-rendered SVG, hydrated by the Chart island.
 */
import type { RouterHistory } from "../lib/stats/router.ts";
import { Island } from "../lib/web/islands.tsx";
import type { ChartOption } from "../islands/chart_setup.ts";
import { plural } from "../islands/format.ts";

/** Models drawn with their own colour; the rest share one bar, "other models". */
export const ROUTER_CHART_MODELS = 6;
export const OTHER_MODELS = "other models";

const HOUR = 3_600_000;
const AXIS_TEXT = "#94a3b8"; // slate-400, readable on both themes
const AXIS_LINE = "#64748b";
const GRID_LINE = "rgba(148, 163, 184, 0.25)";
const MODEL_COLORS = ["#10b981", "#0ea5e9", "#8b5cf6", "#f59e0b", "#ec4899", "#14b8a6"];
const OTHER_COLOR = "#94a3b8";
const REQUESTS_COLOR = "#64748b";
const FAILOVERS_COLOR = "#ef4444";

/** The models with their own bar: those that served the most answers over the range. */
export function chartedModels(history: RouterHistory): string[] {
  return history.by_model.filter((m) => m.ok > 0).slice(0, ROUTER_CHART_MODELS)
    .map((m) => m.model_id);
}

export function routerTrafficOption(history: RouterHistory): ChartOption {
  const named = chartedModels(history);
  const mid = (iso: string) => Date.parse(iso) + HOUR / 2; // a bar sits inside its hour
  const others = history.hours.map((h) => {
    const rest = h.served.filter((s) => !named.includes(s.model_id));
    return [mid(h.hour), rest.reduce((n, s) => n + s.answers, 0)];
  });
  const bars = named.map((model, i) => ({
    type: "bar" as const,
    name: model,
    stack: "served",
    color: MODEL_COLORS[i % MODEL_COLORS.length],
    barMaxWidth: 24,
    data: history.hours.map((h) => [
      mid(h.hour),
      h.served.find((s) => s.model_id === model)?.answers ?? 0,
    ]),
  }));
  const hasOthers = others.some(([, n]) => n > 0);
  return {
    grid: { left: 40, right: 16, top: 56, bottom: 28 },
    legend: {
      type: "plain",
      top: 0,
      left: 0,
      textStyle: { color: AXIS_TEXT },
      itemWidth: 12,
      itemHeight: 8,
    },
    tooltip: { trigger: "axis" },
    xAxis: {
      type: "time",
      min: Date.parse(history.from),
      max: Date.parse(history.hours.at(-1)?.hour ?? history.from) + HOUR,
      axisLabel: { color: AXIS_TEXT, hideOverlap: true },
      axisLine: { lineStyle: { color: AXIS_LINE } },
      splitLine: { show: false },
    },
    yAxis: {
      type: "value",
      minInterval: 1,
      axisLabel: { color: AXIS_TEXT },
      splitLine: { lineStyle: { color: GRID_LINE } },
    },
    series: [
      ...bars,
      ...(hasOthers
        ? [{
          type: "bar" as const,
          name: OTHER_MODELS,
          stack: "served",
          color: OTHER_COLOR,
          barMaxWidth: 24,
          data: others,
        }]
        : []),
      {
        type: "line",
        name: "requests",
        color: REQUESTS_COLOR,
        symbol: "none",
        lineStyle: { width: 1.5, type: "dashed" },
        data: history.hours.map((h) => [mid(h.hour), h.requests]),
      },
      {
        type: "line",
        name: "failovers",
        color: FAILOVERS_COLOR,
        symbol: "none",
        lineStyle: { width: 1.5 },
        data: history.hours.map((h) => [mid(h.hour), h.failovers]),
      },
    ],
  };
}

export function RouterChart({ history }: { history: RouterHistory }) {
  const requests = history.hours.reduce((n, h) => n + h.requests, 0);
  const failovers = history.hours.reduce((n, h) => n + h.failovers, 0);
  const answers = history.hours.reduce((n, h) => n + h.attempts_ok, 0);
  const span = history.range === "24h" ? "24 hours" : "7 days";
  const label = `Routed requests per hour over ${span}: ${plural(requests, "request")}, ` +
    `${plural(failovers, "failover")}, ${plural(answers, "answer")} by the models that served them`;
  return (
    <figure class="space-y-2" data-router-chart>
      <div class="chart-frame rounded-lg border border-slate-200 p-2 dark:border-slate-800">
        <Island
          name="Chart"
          props={{ option: routerTrafficOption(history), width: 960, height: 300, label }}
        />
      </div>
      <figcaption class="text-sm text-slate-600 dark:text-slate-400">
        {requests + answers > 0
          ? `${plural(requests, "request")} routed over ${span}, ${
            plural(failovers, "failover")
          }; bars: answers per hour by the model that served them.`
          : `Nothing routed in the last ${span}.`}
      </figcaption>
    </figure>
  );
}
