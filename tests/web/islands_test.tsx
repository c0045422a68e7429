import assert from "node:assert/strict";
import { Island, islandPropsJson } from "../../lib/web/islands.tsx";
import { renderPage, themeFromCookie } from "../../lib/web/layout.tsx";
import { type Manifest, setActiveManifest } from "../../lib/web/manifest.ts";
import type { ChartOption } from "../../islands/chart_setup.ts";

const HOSTILE = "</script><script>alert(1)</script> & <!-- \u2028\u2029 ]]>";

const FAKE_MANIFEST: Manifest = {
  inputsHash: "test",
  boot: "boot-AAAAAAAA.js",
  css: "styles-bbbbbbbb.css",
  preload: {
    boot: ["chunk-CCCCCCCC.js"],
    islands: { ThemeToggle: ["ThemeToggle-DDDDDDDD.js"], Chart: ["Chart-EEEEEEEE.js"] },
  },
  files: [],
  builtAt: "2026-01-01T00:00:00.000Z",
};

function chartOption(name: string): ChartOption {
  return {
    xAxis: { type: "category", data: [name, "b"] },
    yAxis: { type: "value" },
    series: [{ type: "line", name, data: [1, 2] }],
  };
}

/** Every <script …> start tag in `html`, with its attributes. */
function scriptTags(html: string): string[] {
  return html.match(/<script\b[^>]*>/gi) ?? [];
}

function propsOf(html: string, id: string): unknown {
  const match = html.match(
    new RegExp(`<script type="application/json" data-island-props="${id}">(.*?)</script>`, "s"),
  );
  assert.ok(match, `props script ${id} not found`);
  return JSON.parse(match[1]);
}

Deno.test("props JSON escapes <, >, &, U+2028 and U+2029 and round-trips", () => {
  const props = { option: chartOption(HOSTILE), width: 100, height: 50, label: HOSTILE };
  const json = islandPropsJson("Chart", props);
  assert.doesNotMatch(json, /[<>&\u2028\u2029]/);
  assert.deepEqual(JSON.parse(json), props);
});

Deno.test("an island's props never appear raw in the page", () => {
  setActiveManifest(FAKE_MANIFEST);
  try {
    const props = { option: chartOption(HOSTILE), width: 300, height: 120, label: HOSTILE };
    const html = renderPage(
      <main>
        <Island name="Chart" props={props} />
      </main>,
      { title: "t" },
    );
    assert.ok(!html.includes("</script><script>alert(1)"), "raw payload in HTML");
    // U+2028/9 are harmless in HTML text (the SVG's labels) but not in script content.
    const json = html.match(/data-island-props="0">(.*?)<\/script>/s)?.[1] ?? "";
    assert.doesNotMatch(json, /[<>&\u2028\u2029]/);
    assert.deepEqual(propsOf(html, "0"), props);
    // The only scripts: the props (JSON, not executable) and the external boot module.
    assert.deepEqual(scriptTags(html), [
      '<script type="module" src="/static/build/boot-AAAAAAAA.js">',
      '<script type="application/json" data-island-props="0">',
    ]);
  } finally {
    setActiveManifest(null);
  }
});

Deno.test("a page without islands has no <script> at all", () => {
  setActiveManifest(FAKE_MANIFEST);
  try {
    const html = renderPage(
      <main>
        <h1>{HOSTILE}</h1>
      </main>,
      { title: HOSTILE },
    );
    assert.ok(html.startsWith('<!doctype html><html lang="en"><head>'));
    assert.deepEqual(scriptTags(html), []);
    assert.ok(!html.includes("modulepreload"));
    assert.ok(html.includes('<link rel="stylesheet" href="/static/build/styles-bbbbbbbb.css"/>'));
    assert.ok(!html.includes("<script>alert(1)"), "text content must be escaped");
  } finally {
    setActiveManifest(null);
  }
});

Deno.test("a page with islands has one external module script and preloads their chunks", () => {
  setActiveManifest(FAKE_MANIFEST);
  try {
    const html = renderPage(
      <main>
        <Island name="ThemeToggle" props={{}} />
        <p>between</p>
        <Island name="ThemeToggle" props={{ class: "ml-2" }} />
      </main>,
      { title: "t", theme: "dark" },
    );
    const executable = scriptTags(html).filter((tag) => !tag.includes("application/json"));
    assert.deepEqual(executable, ['<script type="module" src="/static/build/boot-AAAAAAAA.js">']);
    // Every script element is either external (src) or JSON data: nothing inline runs.
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      assert.ok(m[1].includes("src=") ? m[2] === "" : m[1].includes('type="application/json"'));
    }
    assert.ok(html.includes('<html lang="en" class="dark">'));
    assert.ok(html.includes('<link rel="modulepreload" href="/static/build/chunk-CCCCCCCC.js"/>'));
    assert.ok(html.includes('href="/static/build/ThemeToggle-DDDDDDDD.js"'));
    assert.ok(!html.includes("Chart-EEEEEEEE.js"), "only the islands on the page are preloaded");
    assert.equal(html.match(/data-island="ThemeToggle"/g)?.length, 2);
    assert.deepEqual(propsOf(html, "0"), {});
    assert.deepEqual(propsOf(html, "1"), { class: "ml-2" });
    assert.ok(html.includes('aria-label="Toggle dark mode"'), "server-rendered island content");
  } finally {
    setActiveManifest(null);
  }
});

Deno.test("without built assets a page still renders, with no CSS link and no script", () => {
  setActiveManifest(null);
  const html = renderPage(<Island name="ThemeToggle" props={{}} />, { title: "t" });
  assert.deepEqual(scriptTags(html).filter((t) => !t.includes("application/json")), []);
  assert.ok(!html.includes('rel="stylesheet"'));
  assert.ok(html.includes('data-island="ThemeToggle"'));
});

Deno.test("the Chart island server-renders its SVG, not as a prop", () => {
  const props = { option: chartOption("m"), width: 300, height: 120, label: "latency" };
  const html = renderPage(<Island name="Chart" props={props} />, { title: "t" });
  assert.match(
    html,
    /<div data-island="Chart" data-island-id="0"><div class="scouter-chart"[^>]*><svg /,
  );
  assert.deepEqual(propsOf(html, "0"), props);
});

Deno.test("props that would not survive JSON are rejected with their path", () => {
  const bad: [unknown, RegExp][] = [
    [{ option: { series: [{ data: [1, NaN] }] } }, /props\.option\.series\[0\]\.data\[1\] is NaN/],
    [{ when: new Date(0) }, /props\.when is a Date object/],
    [{ f: () => 1 }, /props\.f is a function/],
    [{ list: [1, undefined] }, /undefined at \[1\]/],
    [{ n: 10n }, /props\.n is a bigint/],
    [{ m: new Map() }, /props\.m is a Map object/],
  ];
  for (const [props, message] of bad) {
    assert.throws(() => islandPropsJson("Chart", props), message);
  }
  assert.equal(islandPropsJson("X", { a: undefined, b: null }), '{"b":null}');
});

Deno.test("themeFromCookie accepts only light or dark", () => {
  assert.equal(themeFromCookie("a=1; scouter-theme=dark; b=2"), "dark");
  assert.equal(themeFromCookie("scouter-theme=light"), "light");
  assert.equal(themeFromCookie('scouter-theme="><script>'), undefined);
  assert.equal(themeFromCookie(undefined), undefined);
});
