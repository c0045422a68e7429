/** The recommender with verified capabilities: a verified "no" is left out, a "yes" ranks first. */
import assert from "node:assert/strict";
import { recommend } from "../../lib/recommend/mod.ts";
import { openTestStore, type SeedCheck, seedStore } from "../seed.ts";
import { seedVerdicts } from "../stats/capability_seed.ts";

const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 27, 12);

function history(id: string, n: number, latency: number): SeedCheck[] {
  return Array.from({ length: n }, (_, i) => ({
    model_id: id,
    checked_at: NOW - (n - i) * H + 60_000,
    status: "ok" as const,
    latency_ms: latency,
    run: `r${n - i}`,
  }));
}

Deno.test("recommend: tools needed → verified false left out, verified true before claimed-only", async () => {
  await using db = await openTestStore();
  await seedStore(db.store, {
    models: [
      { id: "fast/a:free", supported_parameters: ["tools"] }, // best stats, verified no
      { id: "mid/b:free", supported_parameters: ["tools"] }, // claimed only
      { id: "slow/c:free", supported_parameters: ["tools"] }, // worst stats, verified yes
      { id: "eyes/d:free", input_modalities: ["text", "image"] },
    ],
    checks: [
      ...history("fast/a:free", 24, 200),
      ...history("mid/b:free", 24, 500),
      ...history("slow/c:free", 12, 900),
      ...history("eyes/d:free", 24, 300),
    ],
  });
  await seedVerdicts(db.store.client, [
    {
      model_id: "fast/a:free",
      capability: "tools",
      verified: false,
      checked_at: NOW - H,
      detail: "answered in prose",
    },
    { model_id: "slow/c:free", capability: "tools", verified: true, checked_at: NOW - H },
    { model_id: "eyes/d:free", capability: "vision", verified: false, checked_at: NOW - H },
  ]);
  const criteria = { minContext: null, tools: true, modalities: [], limit: 5 };
  const tools = await recommend(db.store, criteria, NOW);
  assert.deepEqual(tools.models.map((m) => m.model_id), ["slow/c:free", "mid/b:free"]);
  assert.equal(tools.excluded.filtered, 2, "the verified no and the model without tools");
  assert.match(tools.models[0].why, /; tools verified by a check\.$/);
  assert.match(tools.models[1].why, /; tools claimed by the catalog, not verified yet\.$/);
  assert.match(tools.method, /verified/);

  // No capability asked for: the ranking by stats alone, and supports_tools tells the verdict.
  const any = await recommend(db.store, { ...criteria, tools: false }, NOW);
  assert.deepEqual(any.models.map((m) => m.model_id), [
    "fast/a:free",
    "eyes/d:free",
    "mid/b:free",
    "slow/c:free",
  ]);
  assert.equal(any.models[0].supports_tools, false, "verified without tools");
  assert.equal(any.models[2].supports_tools, true, "claimed, not contradicted");
  assert.doesNotMatch(any.models[0].why, /verified/);

  // Image input needs vision: the only claimant was verified without it.
  const vision = await recommend(
    db.store,
    { ...criteria, tools: false, modalities: ["image"] },
    NOW,
  );
  assert.deepEqual(vision.models, []);
});
