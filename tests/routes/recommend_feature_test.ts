import assert from "node:assert/strict";
import { runAlertPass } from "../../lib/alerts/engine.ts";
import { planQuota } from "../../lib/planner/budget.ts";
import { setActiveManifest } from "../../lib/web/manifest.ts";
import type { SeedCheck } from "../seed.ts";
import { FAKE_MANIFEST, islandProps } from "./pages_helpers.ts";
import { apiError, feature, H, json, NOW } from "./feature_helpers.ts";

const EVIL_NAME = "<img src=x onerror=alert(1)>";

function hourly(id: string, n: number, latency: number, lastFails = false): SeedCheck[] {
  return Array.from({ length: n }, (_, i) => ({
    model_id: id,
    checked_at: NOW - (n - i) * H + 60_000,
    status: lastFails && i === n - 1 ? "timeout" as const : "ok" as const,
    latency_ms: latency,
    run: `r${n - i}`,
  }));
}

const SEED = {
  models: [
    { id: "big/a:free", name: "Big", context_length: 1_000_000, supported_parameters: ["tools"] },
    { id: "small/b:free", name: EVIL_NAME, context_length: 8192 },
    { id: "eyes/c:free", name: "Eyes", input_modalities: ["text", "image"] },
    { id: "down/d:free", name: "Down" },
  ],
  checks: [
    ...hourly("big/a:free", 24, 2000),
    ...hourly("small/b:free", 24, 500),
    ...hourly("eyes/c:free", 6, 300),
    ...hourly("down/d:free", 24, 100, true),
  ],
};

type Rec = {
  models: { model_id: string; rank: number; why: string }[];
  fallback_models: string[];
  snippet: string;
  criteria: unknown;
};

Deno.test("GET /api/recommend: ranked, filtered, validated", async () => {
  await using f = await feature(SEED);
  const all = await json<Rec>(await f.get("/api/recommend"));
  assert.deepEqual(all.fallback_models, ["small/b:free", "big/a:free", "eyes/c:free"]);
  assert.equal(all.snippet, '"models": ["small/b:free","big/a:free","eyes/c:free"]');
  assert.deepEqual(all.criteria, { min_context: null, tools: false, modality: [], limit: 5 });

  const tools = await json<Rec>(await f.get("/api/recommend?tools=true&min_context=100000"));
  assert.deepEqual(tools.fallback_models, ["big/a:free"]);
  const vision = await json<Rec>(await f.get("/api/recommend?modality=image&limit=1"));
  assert.deepEqual(vision.fallback_models, ["eyes/c:free"]);
  const off = await json<Rec>(await f.get("/api/recommend?tools=0&limit=2"));
  assert.equal(off.models.length, 2);

  await apiError(
    await f.get("/api/recommend?limit=0"),
    400,
    /^limit: must be a whole number from 1 to 20/,
  );
  await apiError(await f.get("/api/recommend?limit=21"), 400, /^limit:/);
  await apiError(await f.get("/api/recommend?tools=maybe"), 400, /^tools: must be true or false/);
  await apiError(await f.get("/api/recommend?min_context=-5"), 400, /^min_context:/);
  await apiError(await f.get("/api/recommend?modality=im%40ge"), 400, /^modality:/);
});

Deno.test("the dashboard: best models with a copy button, recent alerts, the quota and its warning", async () => {
  const plan = planQuota({
    key: { is_free_tier: true, limit: null, limit_remaining: null, usage: 0, usage_daily: 0 },
    modelsPerScan: 4,
    maxRetries: 2,
    timing: { kind: "interval", everyMs: H },
    now: NOW,
    spentToday: 17,
  });
  await using f = await feature(SEED, { quota: plan });
  await runAlertPass(f.db.store, { downAfter: 1, recoverAfter: 1, expiryDays: 7 }, NOW, "t");
  setActiveManifest(FAKE_MANIFEST);
  try {
    const res = await f.get("/");
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.ok(html.includes('id="recommend"'));
    const copy = islandProps(html, "CopyButton") as { text: string; label: string }[];
    const models = copy.find((p) => p.label === "Copy the models list");
    assert.equal(models?.text, '"models": ["small/b:free","big/a:free","eyes/c:free"]');
    assert.ok(!html.includes(EVIL_NAME), "the model name is escaped");
    assert.ok(html.includes("&lt;img src=x onerror=alert(1)"));
    // The warning at the top, the card further down.
    const warning = html.indexOf("The schedule exceeds the daily free quota");
    assert.ok(warning > 0 && warning < html.indexOf('id="recommend"'));
    assert.ok(html.includes('id="quota"'));
    assert.ok(html.includes("96–288 a day"), "4 models × 24 scans, × 3 with retries");
    assert.ok(html.includes("17 requests"));
    assert.ok(html.includes('id="alerts"') && html.includes("Down is down"));
    assert.ok(html.includes('href="/feed.xml"'));
  } finally {
    setActiveManifest(null);
  }
});

Deno.test("the dashboard without a planner or history shows neither card", async () => {
  await using f = await feature(null);
  setActiveManifest(FAKE_MANIFEST);
  try {
    const html = await (await f.get("/")).text();
    assert.ok(!html.includes('id="quota"'));
    assert.ok(!html.includes('id="recommend"'));
  } finally {
    setActiveManifest(null);
  }
});
