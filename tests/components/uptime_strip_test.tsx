import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { dayTitle, uptimeFill, UptimeStrip } from "../../components/UptimeStrip.tsx";
import type { UptimeDay } from "../../lib/stats/types.ts";

const days: UptimeDay[] = Array.from({ length: 90 }, (_, i) => {
  const date = new Date(Date.UTC(2026, 7, 30 + i)).toISOString().slice(0, 10);
  const none = { skipped: 0, openrouter: 0 };
  if (i < 80) return { date, checks: 0, ok: 0, uptime: null, ...none, not_measured: "no_scan" };
  const ok = 24 - (i % 3);
  return { date, checks: 24, ok, uptime: (ok / 24) * 100, ...none, not_measured: null };
});

Deno.test("the strip has one bar per day, grey without data, each with a tooltip", () => {
  const html = renderToString(<UptimeStrip days={days} />);
  const rects = html.match(/<rect [^>]*>/g) ?? [];
  assert.equal(rects.length, 90);
  assert.equal(rects.filter((r) => r.includes("fill-slate-200")).length, 80);
  assert.equal(html.match(/<title>/g)?.length, 90);
  assert.ok(html.includes("<title>2026-08-30: not measured: no scan ran</title>"));
  assert.ok(html.includes("(23 of 24 checks ok)"));
  assert.match(html, /role="img" aria-label="Daily uptime over 90 days: 10 days with data, /);
  assert.ok(!html.includes("style="), "no inline styles (CSP)");
});

Deno.test("colours by uptime; 0 % is red, no data is grey", () => {
  assert.equal(uptimeFill(100), "fill-emerald-500");
  assert.equal(uptimeFill(96), "fill-lime-500");
  assert.equal(uptimeFill(0), "fill-red-500");
  assert.match(uptimeFill(null), /fill-slate-200/);
});

Deno.test("a day not measured says why; a partly measured one counts what was not", () => {
  const day = { date: "2026-11-27", checks: 0, ok: 0, uptime: null, skipped: 0, openrouter: 0 };
  assert.equal(
    dayTitle({ ...day, skipped: 30, not_measured: "quota" }),
    "2026-11-27: not measured: daily quota used up",
  );
  assert.equal(
    dayTitle({ ...day, not_measured: "no_scan" }),
    "2026-11-27: not measured: no scan ran",
  );
  assert.equal(
    dayTitle({ ...day, openrouter: 24, not_measured: "openrouter" }),
    "2026-11-27: OpenRouter incident",
  );
  assert.equal(
    dayTitle({
      ...day,
      checks: 20,
      ok: 19,
      uptime: 95,
      skipped: 3,
      openrouter: 1,
      not_measured: null,
    }),
    "2026-11-27: 95 % (19 of 20 checks ok; 3 checks skipped, 1 check not measured (OpenRouter incident))",
  );
});
