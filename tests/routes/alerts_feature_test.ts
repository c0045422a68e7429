import assert from "node:assert/strict";
import { runAlertPass } from "../../lib/alerts/engine.ts";
import type { SeedCheck } from "../seed.ts";
import { checkXml, unescapeXml } from "../metrics/xml.ts";
import { apiError, feature, H, json, NOW } from "./feature_helpers.ts";

const EVIL = "evil/<script>alert(1)</script>:free";
const RULES = { downAfter: 2, recoverAfter: 1, expiryDays: 7 };

const seq = (id: string, start: number, statuses: SeedCheck["status"][]): SeedCheck[] =>
  statuses.map((status, i) => ({ model_id: id, checked_at: start + i * H, status }));

async function withEvents() {
  const f = await feature({
    models: [{ id: "a/a:free", name: "Alpha" }, { id: EVIL, name: "<b>Evil & Co</b>\u0007" }],
    checks: [
      ...seq("a/a:free", NOW - 6 * H, ["timeout", "timeout", "ok"]),
      ...seq(EVIL, NOW - 6.5 * H, ["ok", "unavailable", "unavailable"]),
    ],
  });
  await runAlertPass(f.db.store, RULES, NOW, "t");
  return f;
}

type Ev = {
  id: number;
  kind: string;
  model_id: string;
  model_name: string;
  at: string;
  title: string;
};

Deno.test("GET /api/events: newest first, filtered, every parameter validated", async () => {
  await using f = await withEvents();
  const all = await json<Ev[]>(await f.get("/api/events"));
  assert.deepEqual(all.map((e) => [e.kind, e.model_id]), [
    ["model_recovered", "a/a:free"],
    ["model_down", EVIL],
    ["model_down", "a/a:free"],
  ]);
  assert.equal(all[1].model_name, "<b>Evil & Co</b>\u0007");
  assert.equal(all[0].at, new Date(NOW - 4 * H).toISOString());
  assert.deepEqual(
    Object.keys(all[0]).sort(),
    ["at", "details", "id", "kind", "message", "model_id", "model_name", "run_id", "title"],
  );

  const downs = await json<Ev[]>(await f.get("/api/events?kind=model_down,model_added"));
  assert.deepEqual(downs.map((e) => e.kind), ["model_down", "model_down"]);
  const one = await json<Ev[]>(await f.get(`/api/events?model_id=${encodeURIComponent(EVIL)}`));
  assert.deepEqual(one.map((e) => e.model_id), [EVIL]);
  assert.equal((await json<Ev[]>(await f.get("/api/events?limit=1"))).length, 1);
  const since = new Date(NOW - 4 * H).toISOString();
  assert.equal((await json<Ev[]>(await f.get(`/api/events?since=${since}`))).length, 1);
  // A plain date means 00:00 UTC, as in the exports.
  const day = new Date(NOW).toISOString().slice(0, 10);
  const sinceMidnight = await json<Ev[]>(await f.get(`/api/events?since=${day}`));
  assert.deepEqual(
    sinceMidnight.map((e) => e.id),
    all.filter((e) => Date.parse(e.at) >= Date.parse(`${day}T00:00:00Z`)).map((e) => e.id),
  );

  await apiError(
    await f.get("/api/events?kind=model_exploded"),
    400,
    /^kind: must be one or more of/,
  );
  await apiError(
    await f.get("/api/events?limit=0"),
    400,
    /^limit: must be a whole number from 1 to 500/,
  );
  await apiError(await f.get("/api/events?limit=x"), 400, /^limit:/);
  await apiError(await f.get("/api/events?since=yesterday"), 400, /^since: must be an ISO 8601/);
});

Deno.test("GET /feed.xml: a well-formed Atom feed, everything escaped", async () => {
  await using f = await withEvents();
  const res = await f.get("/feed.xml");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/atom+xml; charset=utf-8");
  assert.equal(res.headers.get("cache-control"), "public, max-age=60");
  const xml = await res.text();
  const { root, elements, texts } = checkXml(xml);
  assert.equal(root, "feed");
  assert.equal(elements.filter((e) => e === "entry").length, 3);
  assert.ok(!elements.includes("script") && !elements.includes("b"), "no markup from names");
  assert.ok(texts.map(unescapeXml).includes("<b>Evil & Co</b> is down"), "the bell is dropped");
  assert.match(
    xml,
    /<link rel="self" type="application\/atom\+xml" href="http:\/\/scouter\.test\/feed\.xml"\/>/,
  );
  assert.match(xml, /href="http:\/\/scouter\.test\/models\/a\/a:free"/);
  assert.match(xml, new RegExp(`<updated>${new Date(NOW - 4 * H).toISOString()}</updated>`));
  assert.match(xml, /<id>http:\/\/scouter\.test\/feed\.xml#alert-\d+<\/id>/);
});

Deno.test("an empty feed and event list are valid too", async () => {
  await using f = await feature(null);
  assert.deepEqual(await json(await f.get("/api/events")), []);
  const xml = await (await f.get("/feed.xml")).text();
  assert.equal(checkXml(xml).root, "feed");
  assert.match(xml, new RegExp(`<updated>${new Date(NOW).toISOString()}</updated>`));
});

Deno.test("the OpenAPI document lists the new endpoints", async () => {
  await using f = await feature(null);
  const doc = await json<{ paths: Record<string, unknown> }>(await f.get("/openapi.json"));
  for (
    const path of [
      "/api/events",
      "/feed.xml",
      "/api/recommend",
      "/metrics",
      "/badge/{model_id}/status.svg",
      "/badge/{model_id}/uptime/7d.svg",
      "/api/export/checks",
      "/api/openrouter-stats",
    ]
  ) assert.ok(path in doc.paths, path);
});
