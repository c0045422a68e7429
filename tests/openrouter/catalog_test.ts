import assert from "node:assert/strict";
import {
  filterModels,
  freeModels,
  isFreeModel,
  parseCatalogPage,
  parseModality,
} from "../../lib/openrouter/catalog.ts";
import type { CatalogModel } from "../../lib/openrouter/types.ts";
import { MODEL_SNAPSHOTS, readJsonFixture } from "./_fixtures.ts";

for (const [file, expected] of Object.entries(MODEL_SNAPSHOTS)) {
  Deno.test(`catalog sample ${file}: all models parse, free count matches SOURCES.md`, () => {
    const page = parseCatalogPage(readJsonFixture(file));
    assert.ok(page);
    assert.equal(page.skipped, 0);
    assert.equal(page.models.length, expected.models);
    const free = freeModels(page.models);
    assert.equal(free.length, expected.free);
    // `-1` routers (openrouter/auto …) are never free; every free model has a name.
    assert.ok(free.every((m) => !m.pricing || m.pricing.prompt !== "-1"));
    assert.ok(!free.some((m) => m.id === "openrouter/auto"));
    assert.ok(page.models.every((m) => typeof m.name === "string" && m.name !== ""));
    const auto = page.models.find((m) => m.id === "openrouter/auto");
    assert.ok(auto, "openrouter/auto is kept in the full catalog");
    assert.equal(auto.is_router, true);
  });
}

Deno.test("catalog: openrouter/free is kept, free and marked as a router", () => {
  for (const file of ["models-skissue-2026-02-27.json", "models-anuran-roy-2026-08-19.json"]) {
    const page = parseCatalogPage(readJsonFixture(file));
    assert.ok(page);
    const router = freeModels(page.models).find((m) => m.id === "openrouter/free");
    assert.ok(router, file);
    assert.equal(router.is_router, true);
    const plain = page.models.find((m) => m.id.endsWith(":free"));
    assert.equal(plain?.is_router, false);
  }
});

Deno.test("catalog: paginated shape, reasoning object and expiration dates are read", () => {
  const page = parseCatalogPage(readJsonFixture("models-anuran-roy-2026-08-19.json"));
  assert.ok(page);
  assert.equal(page.total_count, 414);
  assert.equal(page.next, null);
  const qwen = page.models.find((m) => m.id === "qwen/qwen3.8-27b");
  assert.ok(qwen);
  assert.deepEqual(qwen.reasoning, {
    mandatory: false,
    supported_efforts: ["xhigh", "medium", "low"],
  });
  assert.deepEqual(qwen.input_modalities, ["text", "image", "video"]);
  assert.deepEqual(qwen.output_modalities, ["text"]);
  assert.equal(qwen.context_length, 262144);
  assert.equal(qwen.created, 1786722910);
  assert.ok(qwen.supported_parameters.includes("reasoning"));
  assert.ok(page.models.some((m) => m.expiration_date === "2026-08-24"));
  assert.ok(
    page.models.every((m) =>
      m.expiration_date === null || /^\d{4}-\d{2}-\d{2}$/.test(m.expiration_date)
    ),
  );
  // Older snapshots have no `reasoning` object.
  const old = parseCatalogPage(readJsonFixture("models-madviking-2025-05-23.json"));
  assert.ok(old?.models.every((m) => m.reasoning === null));
});

Deno.test("catalog: a malformed entry is skipped, wrong-typed optional fields degrade", () => {
  const page = parseCatalogPage({
    data: [
      null,
      "nope",
      { name: "no id" },
      { id: 42 },
      {
        id: "weird/model:free",
        name: 7,
        description: ["x"],
        context_length: "big",
        created: "yesterday",
        architecture: { modality: "text+image->text", input_modalities: "text" },
        supported_parameters: [1, "max_tokens", null],
        expiration_date: "soon",
        reasoning: "yes",
        pricing: "free",
        unknown_field: { anything: true },
      },
      {
        id: "plain/model",
        pricing: { prompt: 0, completion: "0.000" },
        expiration_date: "2026-03-01T00:00:00Z",
      },
    ],
    total_count: "many",
    links: { next: 5 },
  });
  assert.ok(page);
  assert.equal(page.skipped, 4);
  assert.equal(page.next, null);
  assert.equal(page.total_count, null);
  const [weird, plain] = page.models;
  assert.deepEqual(
    weird,
    {
      id: "weird/model:free",
      name: "weird/model:free",
      description: null,
      context_length: null,
      // input_modalities had the wrong type and output_modalities was missing: parsed from `modality`.
      input_modalities: ["text", "image"],
      output_modalities: ["text"],
      supported_parameters: ["max_tokens"],
      expiration_date: null,
      created: null,
      is_router: false,
      reasoning: null,
      pricing: null,
    } satisfies CatalogModel,
  );
  assert.equal(isFreeModel(weird), true);
  assert.equal(plain.expiration_date, "2026-03-01");
  assert.equal(isFreeModel(plain), true);
});

Deno.test("catalog: top-level garbage is not a catalog", () => {
  for (const body of [null, "x", 1, [], {}, { data: "x" }, { data: { a: 1 } }]) {
    assert.equal(parseCatalogPage(body), null, JSON.stringify(body));
  }
  assert.deepEqual(parseCatalogPage({ data: [] })?.models, []);
  assert.equal(
    parseCatalogPage({ data: [], links: { next: "/api/v1/models?cursor=2" } })?.next,
    "/api/v1/models?cursor=2",
  );
});

Deno.test("isFreeModel: the :free suffix or both prices exactly 0; -1 and empty are not", () => {
  const m = (id: string, prompt: unknown, completion: unknown) => ({
    id,
    pricing: { prompt, completion },
  });
  assert.equal(isFreeModel({ id: "a/b:free" }), true);
  assert.equal(isFreeModel(m("a/b", "0", "0")), true);
  assert.equal(isFreeModel(m("a/b", "0.0", 0)), true);
  assert.equal(isFreeModel(m("openrouter/auto", "-1", "-1")), false);
  assert.equal(isFreeModel(m("a/b", "", "")), false);
  assert.equal(isFreeModel(m("a/b", "0", "0.000001")), false);
  assert.equal(isFreeModel(m("a/b", null, "0")), false);
  assert.equal(isFreeModel(m("a/b", "abc", "0")), false);
  assert.equal(isFreeModel({ id: "a/b", pricing: null }), false);
  assert.equal(isFreeModel({ id: "a/b" }), false);
});

Deno.test("parseModality", () => {
  assert.deepEqual(parseModality("text+image->text"), [["text", "image"], ["text"]]);
  assert.deepEqual(parseModality("text"), [["text"], []]);
  assert.deepEqual(parseModality(""), [[], []]);
});

Deno.test("filterModels: any substring, case-insensitive; max after a sort by id", () => {
  const model = (id: string): CatalogModel => ({
    id,
    name: id,
    description: null,
    context_length: null,
    input_modalities: [],
    output_modalities: [],
    supported_parameters: [],
    expiration_date: null,
    created: null,
    is_router: false,
    reasoning: null,
  });
  const all = ["z/llama:free", "a/Qwen-3:free", "m/gemma:free", "b/llama-2:free"].map(model);
  const ids = (ms: CatalogModel[]) => ms.map((m) => m.id);
  assert.deepEqual(ids(filterModels(all, { idContains: [], maxModels: null })), [
    "a/Qwen-3:free",
    "b/llama-2:free",
    "m/gemma:free",
    "z/llama:free",
  ]);
  assert.deepEqual(ids(filterModels(all, { idContains: ["LLAMA", "qwen"], maxModels: null })), [
    "a/Qwen-3:free",
    "b/llama-2:free",
    "z/llama:free",
  ]);
  assert.deepEqual(ids(filterModels(all, { idContains: ["llama"], maxModels: 1 })), [
    "b/llama-2:free",
  ]);
  assert.deepEqual(ids(filterModels(all, { idContains: ["", "  "], maxModels: 2 })), [
    "a/Qwen-3:free",
    "b/llama-2:free",
  ]);
  assert.deepEqual(filterModels(all, { idContains: ["nothing"], maxModels: null }), []);
  assert.deepEqual(filterModels(all, { idContains: [], maxModels: 0 }), []);
  // The input is not reordered.
  assert.equal(all[0].id, "z/llama:free");
});
