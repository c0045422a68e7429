/**
 * The router's views: GET /api/router (off and on, counters after requests routed through the
 * fake OpenRouter, the stored history), the /router page, and the routed checks told apart
 * from probes on the model page and in the history API.
 */
import assert from "node:assert/strict";
import { createApp } from "../../routes/app.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import type { RouterReport } from "../../lib/web/router_report.ts";
import { startRouterCounters } from "../../lib/cli/router_counters.ts";
import { emptyRouterStats } from "../../lib/router/router.ts";
import { API_KEY, startWorld, TOKEN, type World } from "../router/world.ts";
import { apiError, feature, json } from "./feature_helpers.ts";
import { fakeScanner, IDLE } from "./pages_helpers.ts";

const PROMPT = "the private words of a user 7f3a";
const ANSWER = "a private answer 91c2";

const MODELS = [
  { id: "a/first:free", behaviors: ["upstream_429" as const, "ok" as const], answer: ANSWER },
  { id: "b/second:free", behaviors: ["ok" as const], answer: ANSWER },
];
const HISTORY = [
  { model: "a/first:free", n: 10, status: "ok" as const, latencyMs: 300 },
  { model: "b/second:free", n: 10, status: "ok" as const, latencyMs: 900 },
];

interface Routed {
  w: World;
  get(path: string): Promise<Response>;
  since: number;
  close(): Promise<void>;
}

/** The router world with the whole web app over its store, after `requests` routed requests. */
async function routed(requests: number): Promise<Routed> {
  const w = await startWorld({ models: MODELS, history: HISTORY });
  const since = Date.now();
  const counters = startRouterCounters({
    stats: () => w.router.stats(),
    store: w.store,
    log: () => {},
    intervalMs: 3_600_000,
  });
  for (let i = 0; i < requests; i++) {
    await w.openai.chat.completions.create({
      model: "scouter/free",
      messages: [{ role: "user", content: PROMPT }],
    });
  }
  await w.router.flush();
  await counters.flush();
  const deps: AppDeps = {
    store: w.store,
    scanner: fakeScanner(IDLE),
    now: () => Date.now(),
    adminToken: null,
    router: { stats: () => w.router.stats(), since },
  };
  const app = createApp(deps, () => {});
  return {
    w,
    since,
    get: async (path) => await app.request(`http://scouter.test${path}`),
    async close() {
      await counters.stop();
      await w.close();
    },
  };
}

Deno.test("GET /api/router with the router off: 200, enabled false, zeros, an empty history", async () => {
  await using f = await feature(null);
  const res = await f.get("/api/router");
  assert.equal(res.headers.get("cache-control"), "no-store");
  const body = await json<RouterReport>(res);
  assert.equal(body.enabled, false);
  assert.equal(body.since, null);
  assert.deepEqual(
    [body.requests, body.answered, body.failovers, body.account_limit_waits],
    [0, 0, 0, 0],
  );
  assert.deepEqual([body.per_model, body.last_decisions, body.open_breakers], [[], [], []]);
  assert.equal(body.history.range, "24h");
  assert.equal(body.history.hours.length, 24);
  assert.ok(body.history.hours.every((h) => h.requests === 0 && h.attempts === 0));
  assert.equal(
    (await json<RouterReport>(await f.get("/api/router?range=7d"))).history.hours.length,
    168,
  );
  await apiError(await f.get("/api/router?range=30d"), 400, /range: must be one of 24h, 7d/);
});

Deno.test("GET /api/router after routed requests: counters, failover, decisions, stored history; no content", async () => {
  const r = await routed(2);
  try {
    const res = await r.get("/api/router");
    const text = await res.clone().text();
    const body = await json<RouterReport>(res);
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.equal(body.enabled, true);
    assert.equal(body.since, new Date(r.since).toISOString());
    // The first request: a/first 429s upstream, b/second answers (one failover); the second:
    // a/first's script moves on to ok.
    assert.equal(body.requests, 2);
    assert.equal(body.answered, 2);
    assert.equal(body.failovers, 1);
    assert.deepEqual(
      body.per_model.map((m) => [m.model_id, m.served, m.failed, m.breaker]),
      [["a/first:free", 1, 1, "closed"], ["b/second:free", 1, 0, "closed"]],
    );
    assert.equal(body.last_decisions.length, 2);
    const [second, first] = body.last_decisions;
    assert.deepEqual(first.route, [
      { model: "a/first:free", outcome: "upstream_429" },
      { model: "b/second:free", outcome: "ok" },
    ]);
    assert.deepEqual([first.attempts, first.outcome, first.model], [
      2,
      "answered",
      "b/second:free",
    ]);
    assert.deepEqual([second.attempts, second.model], [1, "a/first:free"]);
    assert.ok(first.total_ms >= 0);

    // The durable view: the hour's counters and the traffic checks by model.
    const hour = body.history.hours.at(-1)!;
    assert.deepEqual(
      [hour.requests, hour.answered, hour.failovers, hour.attempts, hour.attempts_ok],
      [2, 2, 1, 3, 2],
    );
    assert.deepEqual(hour.served.map((s) => [s.model_id, s.answers]).sort(), [
      ["a/first:free", 1],
      ["b/second:free", 1],
    ]);
    assert.deepEqual(
      body.history.by_model.map((m) => [m.model_id, m.attempts, m.ok, m.failed]).sort(),
      [["a/first:free", 2, 1, 1], ["b/second:free", 1, 1, 0]],
    );
    for (const secret of [PROMPT, ANSWER, TOKEN, API_KEY]) {
      assert.ok(!text.includes(secret), `the report never holds ${secret}`);
    }
  } finally {
    await r.close();
  }
});

Deno.test("the history outlives a restart: a new router's counters start at 0, the stored hours stay", async () => {
  const r = await routed(1);
  try {
    const fresh = createApp({
      store: r.w.store,
      scanner: fakeScanner(IDLE),
      now: () => Date.now(),
      adminToken: null,
      router: {
        stats: emptyRouterStats,
        since: Date.now(),
      },
    }, () => {});
    const body = await json<RouterReport>(await fresh.request("http://scouter.test/api/router"));
    assert.equal(body.requests, 0);
    assert.equal(body.history.hours.reduce((n, h) => n + h.requests, 0), 1);
    assert.equal(body.history.hours.reduce((n, h) => n + h.failovers, 0), 1);
  } finally {
    await r.close();
  }
});

Deno.test("/router page: counters, the chart's SSR SVG with the serving models, decisions; routed checks marked on the model page and in the history API", async () => {
  const r = await routed(2);
  try {
    const res = await r.get("/router");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "no-cache");
    const html = await res.text();
    assert.match(html, /<h1[^>]*>Router<\/h1>/);
    assert.match(html, /aria-current="page"[^>]*>Router</, "the nav marks the page");
    assert.match(html, /data-router-counters/);
    assert.match(html, /data-island="Chart"/);
    assert.match(html, /<svg/);
    assert.match(html, /b\/second:free/);
    assert.match(html, /data-router-decisions/);
    assert.match(html, /upstream_429/);
    assert.doesNotMatch(html, /The router is off/);
    assert.ok(!html.includes(PROMPT) && !html.includes(ANSWER));

    // The model page tells the routed checks from the probes.
    const model = await (await r.get("/models/a/first:free")).text();
    assert.match(model, /data-source="traffic"[^>]*>routed</);
    assert.match(model, /data-source="probe"[^>]*>probe</);
    const history = await json<{ source: string; status: string }[]>(
      await r.get("/api/models/a/first:free/history?range=24h"),
    );
    const sources = new Set(history.map((p) => p.source));
    assert.deepEqual([...sources].sort(), ["probe", "traffic"]);
  } finally {
    await r.close();
  }
});

Deno.test("/router page with the router off says how to turn it on, and escapes model ids", async () => {
  await using f = await feature(null);
  const off = await (await f.get("/router")).text();
  assert.match(off, /The router is off/);
  assert.match(off, /OPENROUTER_SCOUT_ROUTER_TOKEN/);
  assert.match(off, /Nothing routed in the last 24 hours/);

  const evil = `<img src=x onerror=alert(1)>/m:free`;
  const app = createApp({
    ...f.deps,
    router: {
      since: Date.now(),
      stats: () => ({
        requests: 1,
        answered: 0,
        failovers: 0,
        account_limit_waits: 0,
        account_limit_refusals: 0,
        per_model: { [evil]: { served: 0, failed: 1, breaker: "open" } },
        last_decisions: [{
          at: new Date().toISOString(),
          route: [{ model: evil, outcome: "unavailable" }],
          attempts: 1,
          outcome: "exhausted",
          model: null,
          stream: false,
          total_ms: 12,
        }],
      }),
    },
  }, () => {});
  const html = await (await app.request("http://scouter.test/router")).text();
  assert.ok(!html.includes("<img src=x"), "an id's markup is never an element");
  assert.ok(html.includes("&lt;img src=x onerror=alert(1)>"), "…shown as text");
  assert.match(html, /no model answered/);
});

Deno.test("GET /openapi.json documents /api/router", async () => {
  await using f = await feature(null);
  const doc = await json<{ paths: Record<string, unknown> }>(await f.get("/openapi.json"));
  assert.ok(doc.paths["/api/router"], "documented");
});

Deno.test("with the response cache on, /api/router and /router are never kept: counters move without the data version", async () => {
  await using f = await feature(null);
  let requests = 1;
  const app = createApp({
    ...f.deps,
    dataVersion: () => Promise.resolve("unchanged"),
    router: {
      since: Date.now(),
      stats: () => ({
        requests,
        answered: requests,
        failovers: 0,
        account_limit_waits: 0,
        account_limit_refusals: 0,
        per_model: {},
        last_decisions: [],
      }),
    },
  }, () => {});
  const get = (path: string) => app.request(`http://scouter.test${path}`);
  assert.equal((await json<RouterReport>(await get("/api/router"))).requests, 1);
  requests = 2;
  const res = await get("/api/router");
  assert.equal(res.headers.get("etag"), null);
  assert.equal(res.headers.get("cache-control"), "no-store");
  assert.equal((await json<RouterReport>(res)).requests, 2);
  requests = 3;
  assert.match(await (await get("/router")).text(), /Requests<\/h2><p[^>]*>3</);
  requests = 4;
  const page = await get("/router");
  assert.equal(page.headers.get("cache-control"), "no-cache");
  assert.match(await page.text(), /Requests<\/h2><p[^>]*>4</);
});
