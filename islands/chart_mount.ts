/**
 * Browser-only: mount an interactive ECharts instance. Loaded by the Chart island with a
 * dynamic import, so the (tree-shaken) ECharts bundle is its own chunk, fetched only on pages
 * with a chart.
 */
import { init, use } from "echarts/core";
import { DataZoomInsideComponent } from "echarts/components";
import { CHART_PARTS, type ChartOption } from "./chart_setup.ts";

use([...CHART_PARTS, DataZoomInsideComponent]);

/** Tooltips on hover and zoom/pan with wheel and drag, unless the option says otherwise. */
function interactive(option: ChartOption): ChartOption {
  return {
    tooltip: { trigger: "axis" },
    ...(option.xAxis ? { dataZoom: [{ type: "inside" }] } : {}),
    ...option,
  };
}

/** The least height of a live chart: a phone-wide one at the wide aspect would be unreadable. */
export const MIN_CHART_HEIGHT = 200;

/**
 * Replace `host`'s content (the server's SVG) with a live chart in the box the SVG had: at
 * most `width` wide, shrinking with the container at the same aspect ratio, but never lower
 * than MIN_CHART_HEIGHT (or its own height).
 */
export function mountChart(
  host: HTMLElement,
  option: ChartOption,
  { width, height }: { width: number; height: number },
): () => void {
  // Set through the CSSOM, which a CSP without 'unsafe-inline' styles still allows.
  Object.assign(host.style, {
    maxWidth: `${width}px`,
    aspectRatio: `${width} / ${height}`,
    // The ratio decides the height (not ECharts' previous size), down to a readable floor.
    minHeight: `${Math.min(height, MIN_CHART_HEIGHT)}px`,
    width: "100%", // the container's width, never one derived from the least height
    overflow: "hidden",
  });
  host.textContent = "";
  const chart = init(host, null, { renderer: "svg" });
  chart.setOption(interactive(option));
  const resize = new ResizeObserver(() => chart.resize());
  resize.observe(host);
  return () => {
    resize.disconnect();
    chart.dispose();
  };
}
