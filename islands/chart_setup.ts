/**
 * The ECharts parts Scouter uses, shared by the server's SSR SVG (lib/web/charts.ts) and the
 * browser's interactive chart (islands/chart_mount.ts) so both draw the same thing. Only what
 * is listed here is bundled: add a series or component here, and to `ChartOption`.
 */
import type { ComposeOption } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import {
  BarChart,
  type BarSeriesOption,
  LineChart,
  type LineSeriesOption,
  ScatterChart,
  type ScatterSeriesOption,
} from "echarts/charts";
import {
  type DataZoomComponentOption,
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  MarkAreaComponent,
  type MarkAreaComponentOption,
  MarkLineComponent,
  type MarkLineComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from "echarts/components";

export const CHART_PARTS = [
  SVGRenderer,
  LineChart,
  BarChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  MarkLineComponent,
  MarkAreaComponent,
  // The Router page's stacked bars name the model each colour is.
  LegendComponent,
];

/**
 * A chart's option. It travels to the browser as island props, so it must be plain JSON:
 * no formatter functions (use ECharts' string templates such as "{b}: {c} ms") and no Dates
 * (use epoch milliseconds or ISO strings).
 */
export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | MarkLineComponentOption
  | MarkAreaComponentOption
  | DataZoomComponentOption
  | LegendComponentOption
>;
