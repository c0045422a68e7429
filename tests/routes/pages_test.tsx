import assert from "node:assert/strict";
import { fleetSummary, modelSummaries, recentRuns } from "../../lib/stats/mod.ts";
import { createApp } from "../../routes/app.ts";
import { setActiveManifest } from "../../lib/web/manifest.ts";
import type { ModelTableProps } from "../../islands/ModelTable.tsx";
import type { LiveStatusProps } from "../../islands/LiveStatus.tsx";
import type { ChartProps } from "../../islands/Chart.tsx";
import { modelHref } from "../../islands/format.ts";
import { generateHistory, type SeedData } from "../seed.ts";
import {
  bodyRows,
  cardValue,
  FAKE_MANIFEST,
  getHtml,
  HOSTILE_IMG,
  HOSTILE_SCRIPT,
  IDLE,
  islandProps,
  NOW,
  OFF,
  pagesFixture,
  scriptTags,
} from "./pages_helpers.ts";

const HISTORY = generateHistory({ now: NOW, models: 30, days: 7 });
const ID = "vendor-1/model-1:free";
const TABLE = 'data-island="ModelTable"';

Deno.test("/ on a fresh database: an empty state that says what happens next", async () => {
  await using f = await pagesFixture(null);
  const html = await getHtml(f.app, "/");
  assert.ok(html.includes("No checks yet."));
  assert.ok(html.includes("The first scan starts when the server starts"));
  assert.ok(html.includes("deno task scan"));
  assert.ok(!html.includes(TABLE), "no empty table");
  assert.equal(cardValue(html, "Free models"), "0");
  assert.equal(cardValue(html, "Last scan"), "none yet");
});

Deno.test("/ with scanning off: a notice naming OPENROUTER_API_KEY", async () => {
  await using f = await pagesFixture(null, OFF);
  const html = await getHtml(f.app, "/");
  assert.ok(html.includes("Scanning is off"));
  assert.ok(html.includes("OPENROUTER_API_KEY is not set. Put it in .env and restart."));
  assert.ok(html.includes("deno task scan"));
  assert.equal(cardValue(html, "Next scan"), "Scanning off");
});

Deno.test("pages over 7 days of hourly scans of 30 models", async (t) => {
  // Seeded once (it takes a moment); each step reads it, none writes.
  await using f = await pagesFixture(HISTORY);
  await t.step("/ renders every model row, links and all, in the server HTML", async () => {
    const html = await getHtml(f.app, "/");
    const models = await modelSummaries(f.db.store, NOW);
    assert.equal(models.length, 30);
    const rows = bodyRows(html, TABLE);
    assert.equal(rows.length, models.length);
    for (const m of models) {
      assert.ok(html.includes(`href="${modelHref(m.model_id)}"`), m.model_id);
    }
    // The island gets the same rows as props.
    const [props] = islandProps(html, "ModelTable") as ModelTableProps[];
    assert.deepEqual(props.rows.map((r) => r.model_id), models.map((m) => m.model_id));
    // Null uptimes say "no data", never 0 %.
    const removed = models.filter((m) => m.uptime_24h === null);
    assert.ok(removed.length > 0, "the history has models without checks over 24 h");
    assert.ok(html.includes(">no data</td>"));
  });

  await t.step("/ cards show the fleet's counts, the last scan and the next one", async () => {
    const html = await getHtml(f.app, "/");
    const s = await fleetSummary(f.db.store, NOW);
    assert.equal(cardValue(html, "Free models"), String(s.total_models));
    assert.equal(cardValue(html, "Healthy"), String(s.healthy_count));
    assert.equal(cardValue(html, "Degraded"), String(s.degraded_count));
    assert.equal(cardValue(html, "Down"), String(s.down_count));
    assert.ok(s.healthy_count > 0 && s.down_count > 0, "the history covers several healths");
    assert.match(cardValue(html, "Last scan"), /ago$/);
    assert.equal(cardValue(html, "Next scan"), "in 30 min");
    assert.ok(!html.includes("Scanning is off"));
    assert.ok(html.includes("What the statuses mean"));
    assert.ok(html.includes("The last two checks failed"), "health definitions from lib/stats");
    // The fleet chart: SSR SVG in the page, the option in props.
    const [chart] = islandProps(html, "Chart") as ChartProps[];
    assert.equal(chart.option.series && (chart.option.series as unknown[]).length, 1);
    assert.match(
      html,
      /<div data-island="Chart" data-island-id="\d+"><div class="scouter-chart"[^>]*><svg /,
    );
  });

  await t.step(
    "/ shows a running scan's progress and hands LiveStatus the scanner state",
    async () => {
      const running = {
        ...IDLE,
        running: {
          run_id: 99,
          started_at: "2026-11-27T10:29:00.000Z",
          progress: { done: 12, total: 30, ok: 10, failed: 2, skipped: 0, startedAt: NOW - 60_000 },
        },
      };
      f.scanner.set(running);
      const html = await getHtml(f.app, "/");
      assert.equal(cardValue(html, "Scan running"), "12 / 30");
      assert.ok(html.includes("10 ok · 2 failed"));
      const [props] = islandProps(html, "LiveStatus") as LiveStatusProps[];
      assert.equal(props.now, NOW);
      assert.deepEqual(props.scanning.running?.progress, {
        done: 12,
        total: 30,
        ok: 10,
        failed: 2,
        skipped: 0,
      });
      const [last] = await recentRuns(f.db.store, 1);
      assert.equal(props.lastRunId, last.id);
      f.scanner.set(IDLE);
    },
  );

  await t.step("/ honours the table's query string (the no-JavaScript filter form)", async () => {
    const models = await modelSummaries(f.db.store, NOW);
    const down = models.filter((m) => m.health === "down");
    const byStatus = await getHtml(f.app, "/?status=down");
    assert.equal(bodyRows(byStatus, TABLE).length, down.length);
    assert.ok(byStatus.includes(`Showing ${down.length} of 30 models`));

    const search = await getHtml(f.app, "/?q=MODEL-1");
    const expected = models.filter((m) => m.model_id.includes("model-1")).length;
    assert.equal(bodyRows(search, TABLE).length, expected);

    const sorted = await getHtml(f.app, "/?sort=uptime_24h.asc&sort=p50_latency_24h.desc");
    const latencies = models.map((m) => m.p50_latency_24h).filter((v) => v !== null);
    const first = bodyRows(sorted, TABLE)[0];
    assert.ok(
      first.includes(modelHref(
        models.find((m) => m.p50_latency_24h === Math.max(...latencies))!.model_id,
      )),
    );
    assert.match(
      sorted,
      /<th scope="col" aria-sort="descending"[^>]*><button[^>]*value="p50_latency_24h\.asc"/,
    );

    // Garbage in the query string: the default view.
    const junk = await getHtml(f.app, "/?status=<x>&sort=__proto__.up");
    assert.equal(bodyRows(junk, TABLE).length, 30);
  });

  await t.step("/models/{id}: raw and percent-encoded ids, all sections", async () => {
    const raw = await getHtml(f.app, `/models/${ID}`);
    const encoded = await getHtml(f.app, `/models/${encodeURIComponent(ID)}`);
    const mixed = await getHtml(f.app, "/models/vendor-1/model-1%3Afree");
    for (const html of [raw, encoded, mixed]) {
      assert.ok(
        html.includes(
          '<h1 class="min-w-0 break-words text-2xl font-semibold tracking-tight">Vendor 1: Model 1 (free)</h1>',
        ),
      );
      for (
        const title of [
          "Uptime",
          "Daily uptime, last 90 days",
          "Latency over time",
          "Recent checks",
          "Catalog changes",
        ]
      ) {
        assert.ok(html.includes(`>${title}</h2>`), title);
      }
    }
    // 90 bars, grey where there is no data (the history is 7 days long).
    assert.equal(raw.match(/<rect [^>]*class="fill-/g)?.length, 90 + 6); // + the legend's 6
    assert.ok(raw.includes(": not measured: no scan ran</title>"));
    // 24 h / 7 d / 30 d / 90 d cards.
    for (const t of ["Uptime 24 h", "Uptime 7 days", "Uptime 30 days", "Uptime 90 days"]) {
      assert.ok(raw.includes(`>${t}</h2>`), t);
    }
    assert.equal(bodyRows(raw, "Recent checks").length, 50);
    // The latency chart: a line per measure and a scatter per failure category.
    const charts = islandProps(raw, "Chart") as ChartProps[];
    assert.equal(charts.length, 1);
    const series = charts[0].option.series as { type: string; name: string }[];
    assert.deepEqual(series.slice(0, 2).map((s) => s.type), ["line", "line"]);
    assert.ok(series.slice(2).every((s) => s.type === "scatter"));
    assert.ok(series.length > 2, "the flaky model has failures");
    assert.equal(islandProps(raw, "CopyButton").length, 1);
  });

  await t.step(
    "/models/{id}?range= picks the chart's range; a bad one falls back to 7 days",
    async () => {
      const day = await getHtml(f.app, `/models/${ID}?range=24h`);
      assert.ok(day.includes("over 24 hours"));
      assert.ok(day.includes('aria-current="true"'));
      const bad = await getHtml(f.app, `/models/${ID}?range=2y`);
      assert.ok(bad.includes("over 7 days"));
      const charts = islandProps(day, "Chart") as ChartProps[];
      const points = (charts[0].option.series as { data: unknown[] }[])
        .reduce((n, s) => n + s.data.length, 0);
      assert.ok(points <= 24 * 2, `${points} points over 24 h`);

      // Beyond a week, a point per day from the rollups: p50, p95, TTFT, failure bars.
      const quarter = await getHtml(f.app, `/models/${ID}?range=90d`);
      const [chart] = islandProps(quarter, "Chart") as ChartProps[];
      const daily = chart.option.series as { type: string; data: [number, unknown][] }[];
      assert.deepEqual(daily.slice(0, 3).map((s) => s.type), ["line", "line", "line"]);
      assert.ok(daily.length > 3 && daily.slice(3).every((s) => s.type === "bar"));
      assert.ok(daily.every((s) => s.data.length === 90), "a value for each of 90 days");
      assert.ok(quarter.includes("bars count the failed checks of each day by category"));
    },
  );

  await t.step(
    "unknown models and paths are HTML 404s; API paths are left to the API",
    async () => {
      for (
        const path of [
          "/models/nope/nothing:free",
          "/models/",
          "/models/%E0%A4%A",
          "/nope",
          "/models",
        ]
      ) {
        const html = await getHtml(f.app, path, 404);
        assert.ok(html.includes("Not found"), path);
        assert.deepEqual(scriptTags(html), [], "the 404 page ships no JavaScript");
      }
      const api = await f.app.request("/api/nope");
      assert.equal(api.status, 404);
      assert.doesNotMatch(api.headers.get("content-type") ?? "", /html/);

      // Mounted in the whole app: the API's JSON 404 for /api/*, the HTML one elsewhere.
      const app = createApp(f.deps, () => {});
      const json = await app.request("/api/nope");
      assert.equal(json.status, 404);
      assert.ok("error" in await json.json());
      const page = await app.request("/nope");
      assert.equal(page.status, 404);
      assert.match(await page.text(), /Not found/);
      assert.equal((await app.request(`/models/${encodeURIComponent(ID)}`)).status, 200);
      assert.equal((await app.request("/models/x%2Fy")).status, 404);
    },
  );

  await t.step("/runs lists every run (newest first) with LiveStatus", async () => {
    const html = await getHtml(f.app, "/runs");
    const runs = await recentRuns(f.db.store, 100);
    const rows = bodyRows(html, "Scans, newest first");
    assert.equal(rows.length, runs.length);
    assert.ok(rows[0].includes(`>${runs[0].id}</th>`));
    assert.deepEqual(
      [...html.matchAll(/data-island="(\w+)"/g)].map((m) => m[1]).sort(),
      ["LiveStatus", "ThemeToggle"],
    );
    await using empty = await pagesFixture(null);
    assert.ok((await getHtml(empty.app, "/runs")).includes("No scan has run yet."));
  });

  await t.step("pages with islands load one module script; the 404 page none", async () => {
    setActiveManifest(FAKE_MANIFEST);
    try {
      for (const path of ["/", "/runs", `/models/${ID}`]) {
        const html = await getHtml(f.app, path);
        const executable = scriptTags(html).filter((tag) => !tag.includes("application/json"));
        assert.deepEqual(
          executable,
          ['<script type="module" src="/static/build/boot-AAAAAAAA.js">'],
          path,
        );
        assert.ok(
          html.includes('<link rel="icon" type="image/svg+xml" href="/static/favicon.svg"/>'),
        );
      }
      assert.deepEqual(scriptTags(await getHtml(f.app, "/nope", 404)), []);
    } finally {
      setActiveManifest(null);
    }
  });

  await t.step("scanning off with data: the notice and the table", async () => {
    f.scanner.set(OFF);
    const html = await getHtml(f.app, "/");
    f.scanner.set(IDLE);
    assert.ok(html.includes("Scanning is off"));
    assert.equal(bodyRows(html, TABLE).length, 30);
  });
});

/** Hostile catalog data: names, ids, descriptions and error texts with markup in them. */
function hostileSeed(): SeedData & { id: string } {
  const id = `evil/"><svg onload=alert(1)>:free`;
  return {
    id,
    models: [
      { id, name: `${HOSTILE_IMG} ${HOSTILE_SCRIPT}`, description: HOSTILE_SCRIPT },
      { id: "dots/../x:free", name: "Dot segments" },
    ],
    checks: [
      { model_id: id, checked_at: NOW - 7_200_000, status: "ok", provider: HOSTILE_IMG },
      { model_id: id, checked_at: NOW - 3_600_000, status: "unavailable", error: HOSTILE_SCRIPT },
    ],
  };
}

Deno.test("hostile catalog data is escaped on every page and in every island's props", async () => {
  setActiveManifest(FAKE_MANIFEST);
  try {
    const seed = hostileSeed();
    await using f = await pagesFixture(seed);
    const pages = {
      "/": await getHtml(f.app, "/"),
      model: await getHtml(f.app, modelHref(seed.id)),
      encoded: await getHtml(f.app, `/models/${encodeURIComponent(seed.id)}`),
      runs: await getHtml(f.app, "/runs"),
    };
    for (const [name, html] of Object.entries(pages)) {
      assert.ok(!html.includes("<img src=x"), `${name}: raw <img>`);
      assert.ok(!html.includes("<script>alert"), `${name}: raw <script>`);
      assert.ok(!html.includes("<svg onload"), `${name}: raw <svg>`);
      // Nothing executable but the (external) boot module.
      for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
        assert.ok(
          m[1].includes('src="/static/build/boot-AAAAAAAA.js"')
            ? m[2] === ""
            : m[1].includes('type="application/json"'),
          `${name}: ${m[0].slice(0, 120)}`,
        );
      }
      for (const island of ["ModelTable", "Chart", "LiveStatus", "CopyButton"]) {
        islandProps(html, island);
      }
    }
    assert.ok(pages["/"].includes("&lt;img src=x onerror=alert(1)>"));
    // An id with a dot segment: its link is encoded whole, so browsers keep it intact.
    assert.ok(pages["/"].includes('href="/models/dots%2F..%2Fx%3Afree"'));
    assert.ok(
      (await getHtml(f.app, "/models/dots%2F..%2Fx%3Afree")).includes(">Dot segments</h1>"),
    );
    assert.ok(pages.model.includes("&lt;/script>&lt;script>alert(1)&lt;/script>"));
    const [table] = islandProps(pages["/"], "ModelTable") as ModelTableProps[];
    assert.equal(
      table.rows.find((r) => r.model_id === seed.id)?.name,
      `${HOSTILE_IMG} ${HOSTILE_SCRIPT}`,
      "props round-trip",
    );
    const [chart] = islandProps(pages.model, "Chart") as ChartProps[];
    assert.ok(chart.label.includes(HOSTILE_SCRIPT), "the chart's label carries the name");
    assert.equal(
      islandProps(pages.model, "CopyButton")[0] &&
        (islandProps(pages.model, "CopyButton")[0] as { text: string }).text,
      seed.id,
    );
  } finally {
    setActiveManifest(null);
  }
});

Deno.test("the theme cookie is honoured and pages are not cached", async () => {
  await using f = await pagesFixture(null);
  const res = await f.app.request("/", { headers: { cookie: "scouter-theme=dark" } });
  assert.match(await res.text(), /^<!doctype html><html lang="en" class="dark">/);
  assert.equal(res.headers.get("cache-control"), "no-cache");
});

Deno.test("a model in the catalog but never checked has a page with empty sections", async () => {
  await using f = await pagesFixture({
    models: [{ id: "new/model:free", name: "New Model", present: true }],
    catalogAt: NOW - 3_600_000,
  });
  const html = await getHtml(f.app, "/models/new/model:free");
  assert.ok(html.includes(">New Model</h1>"));
  assert.ok(html.includes("No measured check in this range."));
  assert.ok(html.includes(">No checks yet.</p>"));
  assert.equal((html.match(/: not measured: no scan ran<\/title>/g) ?? []).length, 90);
  assert.equal((html.match(/>no data<\/p>/g) ?? []).length, 5, "five uptime cards, none at 0 %");
  // On the dashboard: a row with no data (not the empty state: the catalog is known).
  const dash = await getHtml(f.app, "/");
  assert.equal(bodyRows(dash, TABLE).length, 1);
  assert.equal((await f.app.request("/", { method: "HEAD" })).status, 200);
});
