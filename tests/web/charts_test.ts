import assert from "node:assert/strict";
import { getInstanceById, init } from "echarts/core";
import { renderChartSvg } from "../../lib/web/charts.ts";
import type { ChartOption } from "../../islands/chart_setup.ts";

const option: ChartOption = {
  xAxis: { type: "category", data: ["mon", "</text><i>", "wed"] },
  yAxis: { type: "value" },
  series: [
    { type: "line", data: [120, 80, null], markLine: { data: [{ yAxis: 100 }] } },
    { type: "bar", data: [3, 1, 4] },
  ],
};

/** Instance ids differ per render (zr3-…, ec_…); the drawing itself must not. */
const normalise = (svg: string) => svg.replace(/zr\d+-/g, "zr-").replace(/cls-\d+/g, "cls");

Deno.test("renderChartSvg returns an SVG of the asked size with escaped labels", () => {
  const svg = renderChartSvg(option, { width: 400, height: 200 });
  assert.match(svg, /^<svg [^>]*width="400" height="200"/);
  assert.ok(svg.trimEnd().endsWith("</svg>"));
  assert.ok(!svg.includes("<i>"), "label text must be escaped");
  assert.ok(svg.includes(">&lt;/text&gt;&lt;i&gt;</text>"));
  assert.throws(() => renderChartSvg(option, { width: 0, height: 10 }), RangeError);
});

Deno.test("renderChartSvg disposes every instance (200 drawings) and reuses a drawing", () => {
  // ECharts numbers instances ec_<base + n>: note where we are, render, then look them up.
  const probe = init(null, null, { renderer: "svg", ssr: true, width: 10, height: 10 });
  const base = Number(probe.id.slice("ec_".length));
  assert.equal(getInstanceById(probe.id), probe, "a live instance is registered");
  probe.dispose();

  // 200 different sizes: 200 drawings, each disposed.
  for (let i = 0; i < 200; i++) renderChartSvg(option, { width: 1000 + i, height: 777 });
  for (let n = 1; n <= 200; n++) {
    assert.equal(getInstanceById(`ec_${base + n}`), undefined, `ec_${base + n} was not disposed`);
  }
  // The same option and size again: the drawing is reused, no instance is made.
  const first = renderChartSvg(option, { width: 333, height: 111 });
  assert.equal(renderChartSvg(option, { width: 333, height: 111 }), first);
  assert.notEqual(normalise(renderChartSvg(option, { width: 333, height: 112 })), normalise(first));
  // And the ids really were those: 200 drawings, then two more (333×111 once, 333×112).
  const after = init(null, null, { renderer: "svg", ssr: true, width: 10, height: 10 });
  assert.equal(after.id, `ec_${base + 203}`);
  after.dispose();
});

Deno.test("renderChartSvg disposes even when the option is rejected", () => {
  const probe = init(null, null, { renderer: "svg", ssr: true, width: 10, height: 10 });
  const base = Number(probe.id.slice("ec_".length));
  probe.dispose();
  const broken = { series: [{ type: "pie", data: [1] }] } as unknown as ChartOption; // not registered
  const { error, warn } = console; // ECharts complains loudly about the unregistered series
  console.error = console.warn = () => {};
  try {
    renderChartSvg(broken, { width: 100, height: 100 });
  } catch {
    // ECharts may throw or just warn; either way the instance must be gone:
  } finally {
    Object.assign(console, { error, warn });
  }
  assert.equal(getInstanceById(`ec_${base + 1}`), undefined);
});
