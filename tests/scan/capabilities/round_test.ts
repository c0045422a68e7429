/**
 * A capability round against the fake, through the real scan: each verdict stored, streaming
 * and not, failed requests inconclusive (never a "no"), the interval respected, a changed
 * verdict a catalog event, reasoning seen by the probes recorded without a request.
 */
import assert from "node:assert/strict";
import type { FakeModelSpec } from "../../fake_openrouter.ts";
import { scanWorld } from "../helpers.ts";
import { latestCapabilities, listCapabilityChecks } from "../../../lib/db/capabilities.ts";
import type { CapabilityRoundSettings } from "../../../lib/scan/capabilities/round.ts";

const TOOLS = ["max_tokens", "temperature", "tools"];
const JSON_PARAMS = ["max_tokens", "response_format", "structured_outputs"];

const MODELS: FakeModelSpec[] = [
  { id: "t/ok:free", supported_parameters: TOOLS, capabilities: { tools: "ok" } },
  { id: "t/prose:free", supported_parameters: TOOLS, capabilities: { tools: "prose" } },
  { id: "t/broken:free", supported_parameters: TOOLS, capabilities: { tools: "broken_arguments" } },
  { id: "t/other:free", supported_parameters: TOOLS, capabilities: { tools: "other_function" } },
  { id: "t/nocity:free", supported_parameters: TOOLS, capabilities: { tools: "no_city" } },
  { id: "j/ok:free", supported_parameters: JSON_PARAMS, capabilities: { json: "ok" } },
  { id: "j/prose:free", supported_parameters: JSON_PARAMS, capabilities: { json: "prose" } },
  {
    id: "j/bad:free",
    supported_parameters: JSON_PARAMS,
    capabilities: { json: "schema_mismatch" },
  },
  {
    id: "v/ok:free",
    input_modalities: ["text", "image"],
    capabilities: { vision: "names_colour" },
  },
  { id: "v/no:free", input_modalities: ["text", "image"], capabilities: { vision: "wrong" } },
  // Claims nothing: never asked.
  { id: "plain/m:free" },
];

const EXPECTED: Record<string, [string, boolean, string | null]> = {
  "t/ok:free": ["tools", true, null],
  "t/prose:free": ["tools", false, "answered in prose"],
  "t/broken:free": ["tools", false, "arguments not JSON"],
  "t/other:free": ["tools", false, 'called another function: "search_web"'],
  "t/nocity:free": ["tools", false, "city missing from arguments"],
  "j/ok:free": ["json", true, null],
  "j/prose:free": ["json", false, "not JSON"],
  "j/bad:free": ["json", false, "does not match the schema: capital"],
  "v/ok:free": ["vision", true, null],
  "v/no:free": ["vision", false, 'did not name the colour (answered "Blue.")'],
};

const ROUND: CapabilityRoundSettings = { intervalHours: 24 };

for (const stream of [true, false]) {
  Deno.test(`a round judges each model (${stream ? "streamed" : "plain JSON"} answers)`, async () => {
    await using world = await scanWorld(MODELS);
    const outcome = await world.scan({ capabilities: { ...ROUND, stream } });
    const report = outcome.capabilities;
    assert.ok(report);
    assert.equal(report.claimed, 10);
    assert.equal(report.sent, 10);
    // One health probe per model, then one request per claim.
    assert.equal(world.fake.chatRequests().length, MODELS.length + 10);
    const latest = await latestCapabilities(world.store.client);
    for (const [id, [capability, verified, detail]] of Object.entries(EXPECTED)) {
      const v = latest.get(id)?.[capability as "tools"];
      assert.equal(v?.verified, verified, `${id}: ${v?.detail}`);
      assert.equal(v?.detail, detail, id);
    }
    assert.equal(latest.has("plain/m:free"), false);
    const bodies = world.fake.chatRequests().map((r) => r.body as Record<string, unknown>);
    assert.ok(bodies.filter((b) => b.tools).every((b) => b.stream === stream));
  });
}

Deno.test("a second round within the interval sends nothing; a forced one sends every claim", async () => {
  await using world = await scanWorld(MODELS);
  await world.scan({ capabilities: ROUND });
  const before = world.fake.chatRequests().length;
  const second = await world.scan({ capabilities: ROUND });
  assert.equal(second.capabilities?.due, 0);
  assert.equal(second.capabilities?.sent, 0);
  assert.equal(world.fake.chatRequests().length - before, MODELS.length, "health probes only");
  const forced = await world.scan({ capabilities: { ...ROUND, force: true } });
  assert.equal(forced.capabilities?.sent, 10);
});

Deno.test("failed requests are inconclusive: no verdict, the category and blame kept", async () => {
  // The health probe answers; then each model's capability request fails its own way.
  await using world = await scanWorld([
    {
      id: "f/upstream:free",
      supported_parameters: TOOLS,
      behaviors: ["ok", "upstream_429"],
      capabilities: { tools: "ok" },
    },
    {
      id: "f/shared:free",
      supported_parameters: TOOLS,
      behaviors: ["ok", "shared_capacity_429"],
      capabilities: { tools: "ok" },
    },
    {
      id: "f/500:free",
      supported_parameters: TOOLS,
      behaviors: ["ok", "http_500"],
      capabilities: { tools: "ok" },
    },
  ]);
  const outcome = await world.scan({ maxRetries: 0, concurrency: 1, capabilities: ROUND });
  const rows = await listCapabilityChecks(world.store.client);
  const by = Object.fromEntries(rows.map((r) => [r.model_id, r]));
  assert.deepEqual(
    [by["f/upstream:free"].verified, by["f/upstream:free"].category, by["f/upstream:free"].fault],
    [null, "rate_limited", "upstream"],
  );
  assert.deepEqual([by["f/shared:free"].verified, by["f/shared:free"].fault], [
    null,
    "shared_capacity",
  ]);
  assert.deepEqual([by["f/500:free"].category, by["f/500:free"].fault], [
    "unavailable",
    "openrouter",
  ]);
  assert.equal((await latestCapabilities(world.store.client)).size, 0, "no verdict from a failure");
  assert.ok(outcome.capabilities?.results.every((r) => r.verified === null && r.sent));
});

Deno.test("the account's daily limit is not a 'no': nothing stored, the next round asks again", async () => {
  await using world = await scanWorld(
    [{ id: "q/m:free", supported_parameters: TOOLS, capabilities: { tools: "ok" } }],
    { dailyLimit: 1 },
  );
  const first = await world.scan({ capabilities: ROUND });
  assert.equal(first.capabilities?.results[0].verified, null);
  assert.equal((await latestCapabilities(world.store.client)).size, 0);
  assert.equal(first.status, "completed", "the health probes all ran");
  world.fake.configure({ dailyLimit: null });
  const second = await world.scan({ capabilities: ROUND });
  assert.equal(second.capabilities?.results[0]?.verified, true, "asked again, not held 24 h");
});

Deno.test("a model whose health probe failed is not asked", async () => {
  await using world = await scanWorld([
    {
      id: "d/m:free",
      supported_parameters: TOOLS,
      behaviors: ["http_404"],
      capabilities: { tools: "ok" },
    },
  ]);
  const outcome = await world.scan({ maxRetries: 0, capabilities: ROUND });
  assert.equal(outcome.capabilities?.claimed, 1);
  assert.equal(outcome.capabilities?.sent, 0);
  assert.equal(world.fake.chatRequests().length, 1);
});

Deno.test("the planner's allowance holds the rest back for the health probes", async () => {
  await using world = await scanWorld(MODELS);
  const outcome = await world.scan({
    capabilities: { ...ROUND, allowance: () => Promise.resolve(3) },
  });
  assert.equal(outcome.capabilities?.sent, 3);
  assert.equal(outcome.capabilities?.waiting, 7);
  assert.ok(world.logs.some((l) => l.includes("7 of 10 wait for the next round")));
});

Deno.test("a verdict that changes is a catalog event", async () => {
  await using world = await scanWorld([
    { id: "c/m:free", supported_parameters: TOOLS, capabilities: { tools: "ok" } },
  ]);
  await world.scan({ capabilities: ROUND });
  world.fake.setModels([
    { id: "c/m:free", supported_parameters: TOOLS, capabilities: { tools: "prose" } },
  ]);
  const outcome = await world.scan({ capabilities: { ...ROUND, force: true } });
  assert.equal(outcome.capabilities?.results[0].changed, true);
  const events = await world.store.listEvents({ modelId: "c/m:free" });
  assert.deepEqual(
    events.filter((e) => e.kind.startsWith("capability")).map((e) => [e.kind, e.detail]),
    [
      ["capability_lost", "tools"],
    ],
  );
  assert.ok(world.logs.some((l) => l.includes("capability lost: c/m:free tools")));
});

Deno.test("reasoning seen in a health probe is recorded verified, with no extra request", async () => {
  await using world = await scanWorld([
    {
      id: "r/m:free",
      supported_parameters: ["max_tokens", "reasoning"],
      reasoning: { mandatory: true, supported_efforts: ["low"] },
      reasoningText: "The user wants OK.",
    },
    { id: "r/none:free", supported_parameters: ["max_tokens", "reasoning"] },
  ]);
  const outcome = await world.scan({ capabilities: ROUND });
  assert.deepEqual(outcome.capabilities?.reasoning_recorded, ["r/m:free"]);
  assert.equal(world.fake.chatRequests().length, 2);
  const latest = await latestCapabilities(world.store.client);
  assert.equal(latest.get("r/m:free")?.reasoning?.verified, true);
  assert.equal(latest.has("r/none:free"), false, "no reasoning seen is not a 'no'");
});

Deno.test("without capability settings a scan sends no capability request", async () => {
  await using world = await scanWorld(MODELS);
  const outcome = await world.scan();
  assert.equal(outcome.capabilities, null);
  assert.equal(world.fake.chatRequests().length, MODELS.length);
});
