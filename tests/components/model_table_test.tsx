import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import ModelTable from "../../islands/ModelTable.tsx";
import type { ModelRow } from "../../islands/model_table_state.ts";

const NOW = Date.parse("2026-11-27T10:30:00.000Z");

const rows: ModelRow[] = ["a", "b", "c"].map((x, i) => ({
  model_id: `v/${x}:free`,
  name: `<b>${x}</b>`,
  health: i === 0 ? "down" : "healthy",
  latest_status: i === 0 ? "HTTP 502" : "OK",
  latest_checked_at: new Date(NOW - (i + 1) * 3 * 3_600_000).toISOString(),
  present: i !== 2,
  is_router: false,
  uptime_24h: i === 1 ? null : 50 * i,
  uptime_7d: 90,
  p50_latency_24h: 1000 + i,
  p50_ttft_24h: null,
  sparkline_data: [1, null, 3],
  consecutive_failures: i === 0 ? 3 : 0,
  context_length: 131072,
}));

Deno.test("the server render: an accessible table with every row and a no-JS form", () => {
  const html = renderToString(<ModelTable rows={rows} now={NOW} />);
  assert.equal(html.match(/<tr class=/g)?.length, 3);
  assert.ok(html.includes("<caption"));
  assert.equal(html.match(/<th scope="col" aria-sort="none"/g)?.length, 8);
  assert.equal(html.match(/<th scope="row"/g)?.length, 3);
  // Sort headers are submit buttons of the filter form; the form has an Apply button.
  assert.equal(html.match(/<button type="submit" form="model-filters" name="sort"/g)?.length, 8);
  assert.match(html, /<form id="model-filters" method="get" role="search"/);
  assert.match(html, /<button type="submit" class="[^"]*">Apply<\/button>/);
  // Copy buttons need JavaScript: hidden in the server render.
  assert.equal(html.match(/<button type="button" hidden/g)?.length, 3);
  assert.ok(html.includes('href="/models/v/a:free"'));
  assert.ok(html.includes("&lt;b>a&lt;/b>"), "names are text");
  assert.ok(html.includes(">no data</td>"));
  assert.ok(html.includes(">removed</span>"));
  assert.ok(html.includes(">3 models</p>"));
  // How old each row's latest check is, relative to the server's clock; the UTC time on hover.
  assert.match(
    html,
    /last: HTTP 502, <time datetime="2026-11-27T07:30:00.000Z" title="2026-11-27 07:30 UTC"[^>]*>3 h ago<\/time>/,
  );
  assert.ok(html.includes(">9 h ago</time>"));
});

Deno.test("the server render honours the initial view", () => {
  const html = renderToString(
    <ModelTable
      rows={rows}
      now={NOW}
      initial={{ q: "", status: "all", supports: null, sort: "uptime_24h", dir: "desc" }}
    />,
  );
  assert.match(html, /aria-sort="descending"[^>]*><button[^>]*value="uptime_24h\.asc"/);
  const order = [...html.matchAll(/href="\/models\/v\/(\w):free"/g)].map((m) => m[1]).join("");
  assert.equal(order, "cab", "100 %, 0 %, then no data");
  assert.match(html, /<input type="hidden" name="sort" value="uptime_24h.desc"/);
});
