import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { dayTitle, uptimeFill, UptimeStrip } from "../../components/UptimeStrip.tsx";
import type { UptimeDay } from "../../lib/stats/types.ts";

const days: UptimeDay[] = Array.from({ length: 90 }, (_, i) => {
  const date = new Date(Date.UTC(2026, 7, 30 + i)).toISOString().slice(0, 10);
  if (i < 80) return { date, checks: 0, ok: 0, uptime: null };
  return { date, checks: 24, ok: 24 - (i % 3), uptime: ((24 - (i % 3)) / 24) * 100 };
});

Deno.test("the strip has one bar per day, grey without data, each with a tooltip", () => {
  const html = renderToString(<UptimeStrip days={days} />);
  const rects = html.match(/<rect [^>]*>/g) ?? [];
  assert.equal(rects.length, 90);
  assert.equal(rects.filter((r) => r.includes("fill-slate-200")).length, 80);
  assert.equal(html.match(/<title>/g)?.length, 90);
  assert.ok(html.includes("<title>2026-08-30: no data</title>"));
  assert.ok(html.includes("(23 of 24 checks ok)"));
  assert.match(html, /role="img" aria-label="Daily uptime over 90 days: 10 days with data, /);
  assert.ok(!html.includes("style="), "no inline styles (CSP)");
});

Deno.test("colours by uptime; 0 % is red, no data is grey", () => {
  assert.equal(uptimeFill(100), "fill-emerald-500");
  assert.equal(uptimeFill(96), "fill-lime-500");
  assert.equal(uptimeFill(0), "fill-red-500");
  assert.match(uptimeFill(null), /fill-slate-200/);
  assert.equal(
    dayTitle({ date: "2026-11-27", checks: 0, ok: 0, uptime: null }),
    "2026-11-27: no data",
  );
});
