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

/** Replace `host`'s content (the server's SVG) with a live chart; returns the cleanup. */
export function mountChart(host: HTMLElement, option: ChartOption): () => void {
  // Keep the box the SSR SVG occupied, so swapping it out does not shift the layout.
  const { height } = host.getBoundingClientRect();
  if (height > 0) host.style.height = `${height}px`;
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
