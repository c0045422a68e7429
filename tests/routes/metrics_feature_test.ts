import assert from "node:assert/strict";
import { Hono } from "hono";
import { parseBadgePath } from "../../routes/api/badges.ts";
import { createApi } from "../../routes/api/mod.ts";
import { PROMETHEUS_CONTENT_TYPE } from "../../lib/metrics/prometheus.ts";
import { seedStore } from "../seed.ts";
import { checkXml } from "../metrics/xml.ts";
import { parsePrometheus, valueOf } from "../metrics/parse_prometheus.ts";
import { feature, H, NOW } from "./feature_helpers.ts";

const LLAMA = "meta-llama/llama-3.3-70b-instruct:free";
const SEED = {
  models: [{ id: LLAMA }, { id: "down/x:free" }],
  checks: [
    { model_id: LLAMA, checked_at: NOW - 2 * H, status: "ok" as const },
    { model_id: LLAMA, checked_at: NOW - H, status: "ok" as const },
    { model_id: "down/x:free", checked_at: NOW - 2 * H, status: "timeout" as const },
    { model_id: "down/x:free", checked_at: NOW - H, status: "timeout" as const },
  ],
};

Deno.test("GET /metrics: Prometheus text, parsed, cached briefly", async () => {
  await using f = await feature(SEED);
  const res = await f.get("/metrics");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), PROMETHEUS_CONTENT_TYPE);
  const text = await res.text();
  const p = parsePrometheus(text);
  assert.equal(valueOf(p, "scouter_model_up", { model_id: LLAMA }), 1);
  assert.equal(valueOf(p, "scouter_model_up", { model_id: "down/x:free" }), 0);
  assert.equal(valueOf(p, "scouter_models", { health: "down" }), 1);

  // New data within the cache's lifetime: the same text (and one computation).
  await seedStore(f.db.store, {
    models: SEED.models,
    checks: [{ model_id: "down/x:free", checked_at: NOW - 60_000, status: "ok" }],
  });
  assert.equal(await (await f.get("/metrics")).text(), text);
});

Deno.test("badges: status and uptime, raw or encoded ids, cached, 404 for the unknown", async () => {
  await using f = await feature(SEED);
  const ok = await f.get(`/badge/${LLAMA}/status.svg`);
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get("content-type"), "image/svg+xml; charset=utf-8");
  assert.equal(ok.headers.get("cache-control"), "public, max-age=60");
  const svg = await ok.text();
  assert.equal(checkXml(svg).root, "svg");
  assert.match(svg, /aria-label="meta-llama\/llama-3\.3-70b-instruct:free: healthy"/);

  const encoded = await f.get(`/badge/${encodeURIComponent(LLAMA)}/uptime/7d.svg`);
  assert.equal(encoded.status, 200);
  assert.match(await encoded.text(), /: 100 %"/);
  const down = await (await f.get("/badge/down/x:free/uptime/24h.svg")).text();
  assert.match(down, /uptime 24h: 0 %"/);
  assert.match(await (await f.get("/badge/down/x:free/uptime/30d.svg")).text(), /uptime 30d: 0 %/);

  const unknown = await f.get("/badge/nobody/none:free/status.svg");
  assert.equal(unknown.status, 404);
  assert.match(await unknown.text(), /unknown model/);
  const bad = await f.get("/badge/x/y:free/uptime/1y.svg");
  assert.equal(bad.status, 404);
  assert.match((await bad.json()).error, /^no such badge/);
});

Deno.test("badges may be embedded elsewhere (the API's own headers)", async () => {
  // The app's security middleware sets Cross-Origin-Resource-Policy on every response; a
  // badge asks for `cross-origin` so that a README on another site can show it.
  const f = await feature(SEED);
  try {
    const api = new Hono();
    api.route("/", createApi(f.deps));
    const res = await api.request(`/badge/${LLAMA}/status.svg`);
    assert.equal(res.headers.get("cross-origin-resource-policy"), "cross-origin");
  } finally {
    await f[Symbol.asyncDispose]();
  }
});

Deno.test("badge paths", () => {
  assert.deepEqual(parseBadgePath(`/badge/${LLAMA}/status.svg`), {
    id: LLAMA,
    badge: { kind: "status" },
  });
  assert.deepEqual(parseBadgePath("/badge/a%2Fb%3Afree/uptime/30d.svg"), {
    id: "a/b:free",
    badge: { kind: "uptime", range: "30d" },
  });
  assert.equal(parseBadgePath("/badge/status.svg"), null);
  assert.equal(parseBadgePath("/badge/a/b/uptime/90d.svg"), null);
  assert.equal(parseBadgePath("/badge/%E0%A4%A/status.svg"), null);
});
