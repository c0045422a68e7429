/**
 * Server-side chart rendering: an ECharts option to a static SVG string (no DOM, no JS in
 * the page). The SVG escapes its text, so labels from untrusted data are safe to inline.
 */
import { init, use } from "echarts/core";
import { CHART_PARTS, type ChartOption } from "../../islands/chart_setup.ts";

use(CHART_PARTS);

export interface ChartSize {
  width: number;
  height: number;
}

export function renderChartSvg(option: ChartOption, { width, height }: ChartSize): string {
  for (const [name, value] of [["width", width], ["height", height]] as const) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`renderChartSvg: ${name} must be a positive number, got ${value}`);
    }
  }
  const chart = init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    // No animation: the SVG is a single frame.
    chart.setOption({ ...option, animation: false });
    return chart.renderToSVGString();
  } finally {
    // ECharts keeps every live instance in a module-level registry: always let it go.
    chart.dispose();
  }
}
