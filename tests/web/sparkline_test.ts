import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { Sparkline, sparklinePath } from "../../islands/sparkline.ts";

Deno.test("sparklinePath draws a line, breaking it at nulls", () => {
  assert.equal(sparklinePath([0, 10], 10, 10, { pad: 0 }), "M0 10L10 0");
  assert.equal(sparklinePath([0, null, 10, 5], 30, 10, { pad: 0 }), "M0 10h0M20 0L30 5");
  assert.equal(sparklinePath([1, NaN, 1], 20, 10, { pad: 0 }), "M0 5h0M20 5h0");
  assert.equal(sparklinePath([null, null], 20, 10), "");
  assert.equal(sparklinePath([], 20, 10), "");
  assert.equal(sparklinePath([7], 20, 10), "M10 5h0", "one point: a dot in the middle");
});

Deno.test("sparklinePath honours a fixed range and clamps to it", () => {
  assert.equal(sparklinePath([0.5, 2], 10, 10, { min: 0, max: 1, pad: 0 }), "M0 5L10 0");
});

Deno.test("Sparkline renders an inline SVG without script", () => {
  const html = renderToString(Sparkline({ values: [1, 3, null, 2], label: "uptime" }));
  assert.match(
    html,
    /^<svg width="80" height="20" viewBox="0 0 80 20" role="img" aria-label="uptime">/,
  );
  assert.match(html, /<path d="M[^"]+" fill="none" stroke="currentColor"/);
  const hidden = renderToString(Sparkline({ values: [] }));
  assert.equal(hidden, '<svg width="80" height="20" viewBox="0 0 80 20" aria-hidden="true"></svg>');
});
