/** The router's candidates with verified capabilities: a "no" is never tried, a "yes" first. */
import assert from "node:assert/strict";
import { chooseCandidates, type ModelFacts, verdictsOf } from "../../lib/router/candidates.ts";
import { capabilitiesOf } from "../../lib/stats/capabilities.ts";
import { seedVerdicts } from "../stats/capability_seed.ts";
import { startWorld } from "./world.ts";

const facts = (id: string, over: Partial<ModelFacts> = {}): ModelFacts => ({
  id,
  context_length: 100_000,
  input_modalities: ["text"],
  supported_parameters: ["tools", "response_format"],
  is_router: false,
  ...over,
});
const msg = (content: unknown) => [{ role: "user", content }];
const ids = (catalog: Map<string, ModelFacts>, ranked: string[], body: Record<string, unknown>) => {
  const c = chooseCandidates(body, catalog, ranked);
  assert.equal(c.kind, "ok");
  return c.kind === "ok" ? c.ids : [];
};

Deno.test("router: a model verified without tools is never a candidate for a tools request", () => {
  const catalog = new Map([
    ["liar:free", facts("liar:free", { verified: { tools: false } })],
    ["claims:free", facts("claims:free")],
    ["proven:free", facts("proven:free", { verified: { tools: true } })],
    // Verified true though the catalog does not list `tools`: the check's answer wins.
    ["quiet:free", facts("quiet:free", { supported_parameters: [], verified: { tools: true } })],
  ]);
  const ranked = ["liar:free", "claims:free", "proven:free"];
  const tools = { model: "scouter/free", messages: msg("hi"), tools: [{ type: "function" }] };
  // Verified first among the ranked (working) models, then among the last resorts.
  assert.deepEqual(ids(catalog, ranked, tools), ["proven:free", "claims:free", "quiet:free"]);
  // Without tools, the verdict does not matter: the ranking as it is.
  assert.deepEqual(ids(catalog, ranked, { model: "scouter/free", messages: msg("hi") }), [
    "liar:free",
    "claims:free",
    "proven:free",
    "quiet:free",
  ]);
  // A model the caller names is tried as named.
  assert.deepEqual(ids(catalog, ranked, { models: ["liar:free"], ...tools, model: undefined }), [
    "liar:free",
  ]);
});

Deno.test("router: structured output reads the json verdict, an image the vision verdict", () => {
  const catalog = new Map([
    ["a:free", facts("a:free", { verified: { json: false } })],
    ["b:free", facts("b:free", { verified: { json: true } })],
    [
      "c:free",
      facts("c:free", { input_modalities: ["text", "image"], verified: { vision: false } }),
    ],
    ["d:free", facts("d:free", { input_modalities: ["text", "Image"] })],
  ]);
  const ranked = ["a:free", "c:free", "d:free", "b:free"];
  const json = {
    model: "scouter/free",
    messages: msg("hi"),
    response_format: { type: "json_object" },
  };
  assert.deepEqual(ids(catalog, ranked, json), ["b:free", "c:free", "d:free"]);
  const image = [{ type: "image_url", image_url: { url: "data:," } }];
  assert.deepEqual(ids(catalog, ranked, { model: "scouter/free", messages: msg(image) }), [
    "d:free",
  ]);
});

Deno.test("router: verdictsOf keeps the conclusive verdicts only", () => {
  const caps = capabilitiesOf({ supported_parameters: ["tools"], input_modalities: [] }, {
    tools: { verified: false, checked_at: 1, detail: null },
    json: { verified: true, checked_at: 1, detail: null },
  });
  assert.deepEqual(verdictsOf(caps), { tools: false, json: true });
  assert.deepEqual(verdictsOf(undefined), {});
});

Deno.test("router end to end: a tools request skips the model verified without tools, even ranked first", async () => {
  const TOOLS = ["max_tokens", "temperature", "tools", "tool_choice"];
  const w = await startWorld({
    models: [
      { id: "a/fast:free", supported_parameters: TOOLS, answer: "prose, no tool call" },
      { id: "t/tools:free", supported_parameters: TOOLS, callsTools: true },
    ],
    history: [
      { model: "a/fast:free", n: 20, status: "ok", latencyMs: 300 },
      { model: "t/tools:free", n: 20, status: "ok", latencyMs: 900 },
    ],
  });
  try {
    await seedVerdicts(w.store.client, [{
      model_id: "a/fast:free",
      capability: "tools",
      verified: false,
      checked_at: Date.now(),
      detail: "answered in prose",
    }]);
    const reply = await w.openai.chat.completions.create({
      model: "scouter/free",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [{ type: "function", function: { name: "get_weather", parameters: {} } }],
    });
    assert.equal(reply.model, "t/tools:free");
    assert.equal(w.fake.attempts("a/fast:free"), 0, "never tried");
    // Without tools the faster model still serves.
    const plain = await w.openai.chat.completions.create({
      model: "scouter/free",
      messages: [{ role: "user", content: "Hi" }],
    });
    assert.equal(plain.model, "a/fast:free");
  } finally {
    await w.close();
  }
});
