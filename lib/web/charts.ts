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

/**
 * Recent drawings by option and size. A chart's data changes with new checks, not with every
 * page view, and drawing one costs milliseconds; the option is plain JSON, so its text is the
 * key. Small and bounded: the oldest drawing goes first.
 */
const drawn = new Map<string, string>();
const DRAWN_MAX = 32;

export function renderChartSvg(option: ChartOption, { width, height }: ChartSize): string {
  for (const [name, value] of [["width", width], ["height", height]] as const) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`renderChartSvg: ${name} must be a positive number, got ${value}`);
    }
  }
  const key = `${width}x${height}:${JSON.stringify(option)}`;
  const hit = drawn.get(key);
  if (hit !== undefined) return hit;
  const svg = draw(option, width, height);
  if (drawn.size >= DRAWN_MAX) drawn.delete(drawn.keys().next().value!);
  drawn.set(key, svg);
  return svg;
}

function draw(option: ChartOption, width: number, height: number): string {
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
