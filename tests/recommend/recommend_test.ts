import assert from "node:assert/strict";
import { fallbackSnippet, recommend, wilsonLowerBound } from "../../lib/recommend/mod.ts";
import { openTestStore, type SeedCheck, seedStore } from "../seed.ts";

const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 27, 12);

Deno.test("Wilson lower bound: known values, and sample size matters", () => {
  assert.equal(wilsonLowerBound(0, 0), 0);
  // Reference values of the 95 % Wilson interval.
  assert.ok(Math.abs(wilsonLowerBound(10, 10) - 0.7225) < 1e-4);
  assert.ok(Math.abs(wilsonLowerBound(50, 100) - 0.4038) < 1e-4);
  assert.ok(Math.abs(wilsonLowerBound(0, 10) - 0) < 1e-12);
  assert.ok(wilsonLowerBound(3, 3) < wilsonLowerBound(95, 100), "3/3 proves less than 95/100");
  assert.ok(wilsonLowerBound(24, 24) > wilsonLowerBound(23, 24));
  for (const [ok, n] of [[1, 1], [5, 9], [99, 100]]) {
    const lb = wilsonLowerBound(ok, n);
    assert.ok(lb >= 0 && lb <= ok / n, `${ok}/${n}`);
  }
});

/** `n` hourly checks ending an hour before NOW, `fails` of them failed (the oldest ones). */
function history(id: string, n: number, fails: number, latency: number): SeedCheck[] {
  return Array.from({ length: n }, (_, i) => ({
    model_id: id,
    checked_at: NOW - (n - i) * H + 60_000,
    status: i < fails ? "unavailable" as const : "ok" as const,
    latency_ms: latency,
    ttft_ms: latency / 2,
    run: `r${n - i}`,
  }));
}

Deno.test("ranks working models by the Wilson bound, then latency; says why; filters", async () => {
  await using db = await openTestStore();
  await seedStore(db.store, {
    models: [
      {
        id: "steady/a:free",
        name: "Steady",
        context_length: 131072,
        supported_parameters: ["tools"],
      },
      { id: "fast/b:free", name: "Fast", context_length: 32768, supported_parameters: ["tools"] },
      {
        id: "lucky/c:free",
        name: "Lucky",
        context_length: 131072,
        input_modalities: ["text", "image"],
      },
      { id: "flaky/d:free", name: "Flaky", context_length: 131072 },
      { id: "down/e:free", name: "Down", context_length: 131072 },
      { id: "openrouter/free", name: "Router", is_router: true },
      { id: "quiet/f:free", name: "Quiet" },
    ],
    checks: [
      ...history("steady/a:free", 24, 0, 1500),
      ...history("fast/b:free", 24, 0, 400),
      ...history("lucky/c:free", 2, 0, 300), // 2 of 2: too few to trust
      ...history("flaky/d:free", 24, 8, 300),
      ...history("down/e:free", 24, 0, 300).map((c, i, all) =>
        i === all.length - 1 ? { ...c, status: "timeout" as const } : c
      ),
      ...history("openrouter/free", 24, 0, 200),
    ],
  });
  const all = await recommend(db.store, {
    minContext: null,
    tools: false,
    modalities: [],
    limit: 5,
  }, NOW);
  assert.deepEqual(all.models.map((m) => m.model_id), [
    "fast/b:free", // 24/24, faster than steady
    "steady/a:free",
    "flaky/d:free", // 16/24
    "lucky/c:free", // 2/2 ranks last despite 100 %
  ]);
  assert.deepEqual(all.excluded, { routers: 1, filtered: 0, not_measured: 1, not_working: 1 });
  assert.equal(all.considered, 7);
  assert.equal(all.eligible, 4);
  const fast = all.models[0];
  assert.equal(fast.rank, 1);
  assert.equal(fast.score, Math.round(wilsonLowerBound(24, 24) * 1000) / 1000);
  assert.match(
    fast.why,
    /^24 of 24 checks ok over 24 h \(at least 86\.2 % with 95 % confidence\); median latency 400 ms, first token 200 ms; latest check ok 59 min ago\.$/,
  );
  assert.deepEqual(all.fallback_models, all.models.map((m) => m.model_id));
  assert.equal(
    all.snippet,
    `"models": ["fast/b:free","steady/a:free","flaky/d:free","lucky/c:free"]`,
  );
  assert.deepEqual(JSON.parse(`{${all.snippet}}`).models, all.fallback_models, "pastes as JSON");

  const big = await recommend(db.store, {
    minContext: 100_000,
    tools: true,
    modalities: [],
    limit: 5,
  }, NOW);
  assert.deepEqual(big.models.map((m) => m.model_id), ["steady/a:free"]);
  assert.equal(big.models[0].supports_tools, true);
  const vision = await recommend(db.store, {
    minContext: null,
    tools: false,
    modalities: ["IMAGE"],
    limit: 5,
  }, NOW);
  assert.deepEqual(vision.models.map((m) => m.model_id), ["lucky/c:free"]);
  const one = await recommend(db.store, {
    minContext: null,
    tools: false,
    modalities: [],
    limit: 1,
  }, NOW);
  assert.deepEqual(one.fallback_models, ["fast/b:free"]);
  assert.equal(one.eligible, 4);
});

Deno.test("nothing qualifies: an empty list, not an error", async () => {
  await using db = await openTestStore();
  const r = await recommend(
    db.store,
    { minContext: null, tools: false, modalities: [], limit: 3 },
    NOW,
  );
  assert.deepEqual(r.models, []);
  assert.equal(r.snippet, `"models": []`);
  assert.equal(fallbackSnippet(['quote"d/x']), `"models": ["quote\\"d/x"]`);
});
