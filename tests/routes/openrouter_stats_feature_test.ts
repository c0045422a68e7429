import assert from "node:assert/strict";
import { insertEndpointFetch, latestEndpointFetches } from "../../lib/db/endpoint_stats.ts";
import type { EndpointStat } from "../../lib/openrouter/endpoints.ts";
import { setActiveManifest } from "../../lib/web/manifest.ts";
import { FAKE_MANIFEST } from "./pages_helpers.ts";
import { apiError, feature, H, json, NOW } from "./feature_helpers.ts";

const ID = "a/b:free";
const stat = (over: Partial<EndpointStat>): EndpointStat => ({
  name: null,
  provider_name: "Chutes",
  tag: "chutes",
  status: 0,
  context_length: 131072,
  max_completion_tokens: 16384,
  quantization: "fp8",
  uptime_5m: 100,
  uptime_30m: 99.5,
  uptime_1d: 97.25,
  latency_ms: { p50: 410, p75: 600, p90: 950, p99: 2100 },
  throughput_tps: { p50: 45, p75: 38, p90: 28, p99: 15 },
  free: true,
  ...over,
});

async function seeded() {
  const f = await feature({
    models: [{ id: ID }, { id: "c/d:free" }],
    checks: [{ model_id: ID, checked_at: NOW - H, status: "ok", latency_ms: 900, ttft_ms: 300 }],
  });
  const client = f.db.store.client;
  await insertEndpointFetch(client, {
    model_id: ID,
    run_id: null,
    fetched_at: NOW - 2 * H,
    endpoints: [stat({ provider_name: "Old" })],
  });
  await insertEndpointFetch(client, {
    model_id: ID,
    run_id: null,
    fetched_at: NOW - H,
    endpoints: [
      stat({}),
      stat({ provider_name: "<script>x</script>", tag: "evil", status: -2, throughput_tps: null }),
    ],
  });
  return f;
}

Deno.test("GET /api/openrouter-stats: the latest read per model", async () => {
  await using f = await seeded();
  const all = await json<
    { model_id: string; fetched_at: string; endpoints: { provider_name: string }[] }[]
  >(
    await f.get("/api/openrouter-stats"),
  );
  assert.deepEqual(all.map((x) => x.model_id), [ID]);
  assert.equal(all[0].fetched_at, new Date(NOW - H).toISOString());
  assert.deepEqual(all[0].endpoints.map((e) => e.provider_name), ["<script>x</script>", "Chutes"]);
  assert.ok(!("free" in all[0].endpoints[0]));
  const one = await json<unknown[]>(await f.get("/api/openrouter-stats?model_id=c%2Fd%3Afree"));
  assert.deepEqual(one, []);
  await apiError(
    await f.get(`/api/openrouter-stats?model_id=${"x".repeat(600)}`),
    400,
    /^model_id:/,
  );
});

Deno.test("the model page shows OpenRouter's stats beside Scouter's", async () => {
  await using f = await seeded();
  setActiveManifest(FAKE_MANIFEST);
  try {
    const html = await (await f.get(`/models/${ID}`)).text();
    const at = html.indexOf('id="openrouter"');
    assert.ok(at > 0);
    const section = html.slice(at, html.indexOf("</section>", at));
    assert.ok(
      section.includes("Chutes") && section.includes("97.3 %") &&
        section.includes("410 ms / 950 ms"),
    );
    assert.ok(section.includes("45 tok/s"));
    assert.ok(section.includes("degraded (-2)"));
    assert.ok(!section.includes("<script>x"), "escaped");
    assert.ok(section.includes("300 ms"), "Scouter's TTFT beside it");
    const other = await (await f.get("/models/c/d:free")).text();
    assert.ok(other.includes("Not read yet"));
  } finally {
    setActiveManifest(null);
  }
});

Deno.test("old reads are pruned after 90 days", async () => {
  await using f = await seeded();
  const client = f.db.store.client;
  await insertEndpointFetch(client, {
    model_id: "c/d:free",
    run_id: null,
    fetched_at: NOW + 91 * 86_400_000,
    endpoints: [],
  });
  const left = await latestEndpointFetches(client);
  assert.deepEqual(left.map((x) => x.model_id), ["c/d:free"]);
  const rows = await client.execute("SELECT COUNT(*) AS n FROM endpoint_stats");
  assert.equal(Number(rows.rows[0].n), 0, "their endpoint rows go with them");
});
