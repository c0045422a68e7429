/**
 * Several regions on one database: the read model (lib/stats/regions.ts), its endpoint
 * (GET /api/models/{id}/regions) and the model page's "Latency by region" panel.
 */
import assert from "node:assert/strict";
import type { Store } from "../../lib/db/store.ts";
import type { CheckStatus } from "../../lib/domain/check.ts";
import { comparesRegions, regionStats } from "../../lib/stats/regions.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { createApp } from "../../routes/app.ts";
import { checkDefaults, openTestStore } from "../seed.ts";
import { fakeScanner } from "../routes/pages_helpers.ts";

const NOW = Date.UTC(2026, 10, 27, 10, 30);
const H = 3_600_000;
const LLAMA = "meta-llama/llama-3.3-70b-instruct:free";

type Probe = [status: CheckStatus, latency: number | null, ttft?: number | null];

/** One run of `region` at `at` holding one check of `model` per probe, a minute apart. */
async function scanFrom(
  store: Store,
  region: string | null,
  at: number,
  model: string,
  probes: Probe[],
): Promise<void> {
  const runId = await store.startRun({ trigger: "schedule", started_at: at, region });
  for (const [i, [status, latency, ttft]] of probes.entries()) {
    await store.insertCheck(runId, {
      ...checkDefaults(status),
      model_id: model,
      checked_at: at + i * 60_000,
      latency_ms: status === "ok" ? latency : null,
      ttft_ms: status === "ok" ? (ttft ?? (latency === null ? null : latency / 2)) : null,
      skip_reason: status === "skipped" ? "quota" : null,
    });
  }
  await store.finishRun(runId, { status: "completed", finished_at: at + probes.length * 60_000 });
}

async function seeded() {
  const db = await openTestStore();
  await db.store.syncCatalog(
    [{
      id: LLAMA,
      name: "Llama",
      description: null,
      context_length: 1,
      input_modalities: ["text"],
      output_modalities: ["text"],
      supported_parameters: [],
      expiration_date: null,
      created: 1,
      is_router: false,
      reasoning: null,
    }],
    NOW - 48 * H,
    null,
  );
  await scanFrom(db.store, "eu-west", NOW - 3 * H, LLAMA, [
    ["ok", 400],
    ["ok", 600],
    ["rate_limited", null],
    ["skipped", null],
  ]);
  await scanFrom(db.store, "us-east", NOW - 2 * H, LLAMA, [["ok", 1200, 900], ["ok", 1000, 700]]);
  await scanFrom(db.store, null, NOW - 30 * H, LLAMA, [["ok", 5000]]); // outside 24h
  return db;
}

Deno.test("regionStats: a model's checks grouped by region, over the range only", async () => {
  await using db = await seeded();
  const day = await regionStats(db.store, LLAMA, "24h", NOW);
  assert.deepEqual(day.map((r) => r.region), ["eu-west", "us-east"]);
  const [eu, us] = day;
  assert.equal(eu.checks, 3, "skipped checks are not measured");
  assert.equal(eu.ok, 2);
  assert.equal(eu.failed, 1);
  assert.equal(eu.skipped, 1);
  assert.equal(eu.uptime, 66.7);
  assert.equal(eu.p50_latency_ms, 400);
  assert.equal(eu.p95_latency_ms, 600);
  assert.equal(eu.p50_ttft_ms, 200);
  assert.equal(eu.last_checked_at, new Date(NOW - 3 * H + 3 * 60_000).toISOString());
  assert.equal(us.uptime, 100);
  assert.equal(us.p50_latency_ms, 1000);
  assert.equal(us.p95_ttft_ms, 900);
  assert.ok(comparesRegions(day));

  const week = await regionStats(db.store, LLAMA, "7d", NOW);
  assert.deepEqual(week.map((r) => r.region), ["eu-west", "us-east", null], "untagged last");
  assert.equal(week[2].p50_latency_ms, 5000);
  assert.deepEqual(await regionStats(db.store, "nobody/none:free", "7d", NOW), []);
});

Deno.test("comparesRegions: only when more than one region measured something", () => {
  const row = (region: string | null, checks: number) => ({
    region,
    checks,
    ok: checks,
    failed: 0,
    skipped: 0,
    uptime: checks ? 100 : null,
    p50_latency_ms: null,
    p95_latency_ms: null,
    p50_ttft_ms: null,
    p95_ttft_ms: null,
    last_checked_at: null,
  });
  assert.equal(comparesRegions([]), false);
  assert.equal(comparesRegions([row("eu", 3)]), false);
  assert.equal(comparesRegions([row("eu", 3), row("us", 0)]), false, "only skipped in us");
  assert.equal(comparesRegions([row("eu", 3), row(null, 1)]), true);
});

function app(store: Store) {
  const deps: AppDeps = { store, scanner: fakeScanner(), now: () => NOW, adminToken: null };
  return createApp(deps, () => {});
}

Deno.test("GET /api/models/{id}/regions: per region, raw or encoded id; 400 and 404 as elsewhere", async () => {
  await using db = await seeded();
  const web = app(db.store);
  for (const id of [LLAMA, encodeURIComponent(LLAMA)]) {
    const res = await web.request(`/api/models/${id}/regions?range=24h`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.model_id, LLAMA);
    assert.equal(body.range, "24h");
    assert.deepEqual(body.regions.map((r: { region: string }) => r.region), ["eu-west", "us-east"]);
    assert.equal(body.regions[1].p50_latency_ms, 1000);
  }
  const week = await (await web.request(`/api/models/${LLAMA}/regions`)).json();
  assert.equal(week.range, "7d", "default range");
  assert.equal(week.regions.length, 3);

  const bad = await web.request(`/api/models/${LLAMA}/regions?range=2d`);
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /^range: /);
  const unknown = await web.request(`/api/models/nobody%2Fnone/regions`);
  assert.equal(unknown.status, 404);
  assert.match((await unknown.json()).error, /unknown model/);

  // The model's other endpoints still answer (the regions route falls through for them).
  assert.equal((await web.request(`/api/models/${LLAMA}`)).status, 200);
  const history = await web.request(`/api/models/${LLAMA}/history?range=7d`);
  assert.equal(history.status, 200);
  assert.equal((await history.json()).length, 7);
  const openapi = await (await web.request("/openapi.json")).json();
  assert.ok(openapi.paths["/api/models/{model_id}/regions"]);
});

Deno.test("the model page shows latency by region only when more than one region has data", async () => {
  await using db = await seeded();
  const web = app(db.store);
  const html = await (await web.request(`/models/${LLAMA}?range=24h`)).text();
  assert.match(html, /Latency by region/);
  assert.match(html, /data-region="eu-west"/);
  assert.match(html, /data-region="us-east"/);
  assert.doesNotMatch(html, /data-region="untagged"/, "the untagged check is older than 24 h");

  await using single = await openTestStore();
  await scanFrom(single.store, "eu-west", NOW - H, LLAMA, [["ok", 500]]);
  const one = await (await app(single.store).request(`/models/${LLAMA}`)).text();
  assert.doesNotMatch(one, /Latency by region/);
});
