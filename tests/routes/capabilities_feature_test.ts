/**
 * Verified capabilities where they show: GET /api/models (`capabilities`, `?supports=`), one
 * model's detail, the OpenAPI document, the response cache's ETag after a new verdict, the
 * dashboard's chips and filter (server render) and the model page's claim beside the verdict.
 */
import assert from "node:assert/strict";
import { recordCapabilityCheck } from "../../lib/db/capabilities.ts";
import { readDataVersion } from "../../lib/db/data_version.ts";
import { ensureAssets } from "../../lib/web/build.ts";
import { loadAssets } from "../../lib/web/manifest.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { createApp } from "../../routes/app.ts";
import { openTestStore, type SeedData, seedStore } from "../seed.ts";
import { seedVerdicts } from "../stats/capability_seed.ts";
import { fakeScanner } from "./pages_helpers.ts";
import { apiError, feature, H, json, NOW } from "./feature_helpers.ts";

const TOOLS = "tools/a:free";
const JSON_ONLY = "json/b:free";
const BOTH = "both/c:free";
const PLAIN = "plain/d:free";
const EVIL = "evil/<img src=x onerror=alert(1)>:free";
const HOSTILE_DETAIL = `<script>alert("detail")</script>`;

const SEED: SeedData = {
  models: [
    { id: TOOLS, name: "Tools", supported_parameters: ["tools", "response_format"] },
    { id: JSON_ONLY, name: "Json", supported_parameters: ["structured_outputs"] },
    {
      id: BOTH,
      name: "Both",
      supported_parameters: ["tools", "response_format"],
      input_modalities: ["text", "image"],
    },
    { id: PLAIN, name: "Plain", supported_parameters: ["max_tokens"] },
    { id: EVIL, name: "Evil", supported_parameters: ["tools"] },
  ],
  checks: [TOOLS, JSON_ONLY, BOTH, PLAIN, EVIL].map((id) => ({
    model_id: id,
    checked_at: NOW - H,
    status: "ok" as const,
    latency_ms: 500,
  })),
};

async function seedAll(client: Parameters<typeof seedVerdicts>[0]): Promise<void> {
  await seedVerdicts(client, [
    {
      model_id: TOOLS,
      capability: "tools",
      verified: false,
      checked_at: NOW - 3 * H,
      detail: "answered in prose",
    },
    { model_id: TOOLS, capability: "json", verified: true, checked_at: NOW - 2 * H },
    { model_id: JSON_ONLY, capability: "json", verified: true, checked_at: NOW - 2 * H },
    { model_id: BOTH, capability: "tools", verified: true, checked_at: NOW - H },
    { model_id: BOTH, capability: "json", verified: true, checked_at: NOW - H },
    {
      model_id: EVIL,
      capability: "tools",
      verified: false,
      checked_at: NOW - H,
      detail: HOSTILE_DETAIL,
    },
  ]);
}

type Obj = Record<string, unknown>;
type Caps = Record<
  string,
  { claimed: boolean; verified: boolean | null; checked_at: string | null; detail: string | null }
>;

Deno.test("GET /api/models: capabilities on every item; ?supports keeps the verified ones", async () => {
  await using f = await feature(SEED);
  await seedAll(f.db.store.client);
  const all = await json<(Obj & { capabilities: Caps })[]>(await f.get("/api/models"));
  assert.equal(all.length, 5);
  const tools = all.find((m) => m.model_id === TOOLS)!;
  assert.deepEqual(Object.keys(tools.capabilities), ["tools", "json", "vision", "reasoning"]);
  assert.deepEqual(tools.capabilities.tools, {
    claimed: true,
    verified: false,
    checked_at: new Date(NOW - 3 * H).toISOString(),
    detail: "answered in prose",
  });
  assert.deepEqual(tools.capabilities.vision, {
    claimed: false,
    verified: null,
    checked_at: null,
    detail: null,
  });
  const plain = all.find((m) => m.model_id === PLAIN)!;
  assert.ok(Object.values(plain.capabilities).every((c) => c.verified === null && !c.claimed));

  const ids = async (q: string) =>
    (await json<Obj[]>(await f.get(`/api/models?${q}`))).map((m) => m.model_id);
  assert.deepEqual(await ids("supports=tools"), [BOTH], "a claim alone, or a 'no', is not enough");
  assert.deepEqual(await ids("supports=json"), [BOTH, JSON_ONLY, TOOLS]);
  assert.deepEqual(await ids("supports=json,tools"), [BOTH], "every one listed");
  assert.deepEqual(await ids("supports=%20JSON%20,,"), [BOTH, JSON_ONLY, TOOLS], "trimmed");
  assert.deepEqual(await ids("supports=vision"), []);
  assert.equal((await ids("supports=")).length, 5, "empty: no filter");
  assert.deepEqual(await ids("supports=json&q=both"), [BOTH], "with the other filters");
  await apiError(
    await f.get("/api/models?supports=tools,teleport"),
    400,
    /^supports: unknown capability "teleport"; must be one or more of tools, json, vision, reasoning/,
  );
  await apiError(await f.get(`/api/models?supports=${"x".repeat(300)}`), 400, /^supports: /);
});

Deno.test("GET /api/models/{id}: the capabilities beside the catalog facts; OpenAPI documents both", async () => {
  await using f = await feature(SEED);
  await seedAll(f.db.store.client);
  const d = await json<Obj & { capabilities: Caps }>(
    await f.get(`/api/models/${encodeURIComponent(BOTH)}`),
  );
  assert.equal(d.capabilities.tools.verified, true);
  assert.equal(d.capabilities.vision.claimed, true);
  assert.equal(d.capabilities.vision.verified, null);
  assert.deepEqual(d.supported_parameters, ["tools", "response_format"]);

  const doc = await json<Obj>(await f.get("/openapi.json"));
  const list = ((doc.paths as Obj)["/api/models"] as Obj).get as Obj;
  const supports = (list.parameters as Obj[]).find((p) => p.name === "supports")!;
  assert.equal(supports.in, "query");
  assert.equal((supports.schema as Obj).type, "string");
  assert.match(String(supports.description), /tools, json, vision, reasoning/);
  const schemas = (doc.components as Obj).schemas as Record<string, Obj>;
  for (const name of ["ModelListItem", "ModelDetail"]) {
    assert.ok("capabilities" in (schemas[name].properties as Obj), name);
    assert.ok((schemas[name].required as string[]).includes("capabilities"), name);
  }
  const status = schemas.CapabilityStatus.properties as Obj;
  assert.deepEqual(Object.keys(status), ["claimed", "verified", "checked_at", "detail"]);
});

Deno.test("a new verdict bumps the data version: the cached answer's ETag changes", async () => {
  await ensureAssets();
  await loadAssets();
  await using db = await openTestStore();
  await seedStore(db.store, SEED);
  let now = NOW;
  const deps: AppDeps = {
    store: db.store,
    scanner: fakeScanner(),
    now: () => now,
    adminToken: null,
    dataVersion: () => readDataVersion(db.store.client),
  };
  const app = createApp(deps, () => {});
  const etag = async (path: string) => (await app.request(path)).headers.get("etag");
  const paths = ["/api/models", `/api/models/${encodeURIComponent(BOTH)}`, "/"];
  const before = await Promise.all(paths.map(etag));
  now += 2_100; // past the cache's minimum age and the version's read interval, same bucket
  assert.deepEqual(await Promise.all(paths.map(etag)), before, "control: nothing written");

  await seedVerdicts(db.store.client, [
    { model_id: BOTH, capability: "tools", verified: true, checked_at: NOW },
  ]);
  now += 2_100;
  // The first requests get the previous answers while they render in the background (the
  // response cache's stale-while-revalidate); the ones after them get the new answers.
  await Promise.all(paths.map(etag));
  await new Promise((r) => setTimeout(r, 300));
  const after = await Promise.all(paths.map(etag));
  for (let i = 0; i < paths.length; i++) assert.notEqual(after[i], before[i], paths[i]);
  const body = await json<Obj & { capabilities: Caps }>(await app.request(paths[1]));
  assert.equal(body.capabilities.tools.verified, true);
});

Deno.test("the dashboard: a chip per claimed or verified capability, hostile detail as text, ?supports filters the first render", async () => {
  await using f = await feature(SEED);
  await seedAll(f.db.store.client);
  const html = await (await f.get("/")).text();
  // TOOLS: tools ✗ (with why), json ✓; PLAIN: no chips.
  assert.match(
    html,
    /<span class="text-red-700 dark:text-red-400" title="claims tools · verified no, 3 h ago: answered in prose" data-cap="tools">tools ✗<\/span>/,
  );
  assert.match(html, /title="claims json · verified yes, 2 h ago" data-cap="json">json ✓<\/span>/);
  assert.match(
    html,
    /<span title="claims vision · not verified yet" data-cap="vision">vision \?<\/span>/,
  );
  assert.equal(html.includes('<script>alert("detail")'), false, "the detail is escaped");
  assert.ok(html.includes("&lt;script>alert"), "…and shown as text");
  assert.match(html, /<select name="supports"/);

  const filtered = await (await f.get("/?supports=tools")).text();
  const rows = [...filtered.matchAll(/<th scope="row"[^]*?href="\/models\/([^"]+)"/g)].map((m) =>
    m[1]
  );
  assert.deepEqual(rows, ["both/c:free"]);
  assert.match(filtered, /<option selected value="tools">/);
  assert.match(filtered, /Showing 1 of 5 models/);
});

Deno.test("the model page: each capability's claim beside its verdict", async () => {
  await using f = await feature(SEED);
  await seedAll(f.db.store.client);
  const text = (await (await f.get(`/models/${TOOLS}`)).text()).replace(/<[^>]+>/g, "");
  assert.match(text, /claims tools · verified no, 3 h ago: answered in prose/);
  assert.match(text, /claims json · verified yes, 2 h ago/);
  assert.match(text, /doesn't claim vision(?! ·)/);
  assert.match(text, /doesn't claim reasoning(?! ·)/);
  const both = (await (await f.get(`/models/${BOTH}`)).text()).replace(/<[^>]+>/g, "");
  assert.match(both, /claims vision · not verified yet/);
  const evil = await (await f.get(`/models/${encodeURIComponent(EVIL)}`)).text();
  assert.equal(evil.includes(HOSTILE_DETAIL), false);
  assert.ok(evil.includes("verified no, 1 h ago: &lt;script>alert"));
});

Deno.test("a verdict that changes is a catalog event naming its capability, in the API and on the page", async () => {
  await using f = await feature(SEED);
  const client = f.db.store.client;
  const attempt = (verified: boolean, at: number) => ({
    model_id: BOTH,
    capability: "tools" as const,
    verified,
    detail: verified ? null : "answered in prose",
    category: null,
    fault: null,
    checked_at: at,
    run_id: null,
  });
  // The first verdict is no change; then lost, then gained back.
  await recordCapabilityCheck(client, attempt(true, NOW - 3 * H));
  await recordCapabilityCheck(client, attempt(false, NOW - 2 * H));
  await recordCapabilityCheck(client, attempt(true, NOW - H));
  const detail = await json<{ events: { kind: string; detail: string | null }[] }>(
    await f.get(`/api/models/${encodeURIComponent(BOTH)}`),
  );
  const kinds = detail.events.map((e) => `${e.kind}:${e.detail}`);
  assert.deepEqual(kinds.filter((k) => k.startsWith("capability")), [
    "capability_gained:tools",
    "capability_lost:tools",
  ]);
  const page = (await (await f.get(`/models/${BOTH}`)).text()).replace(/<[^>]+>/g, "");
  assert.match(page, /Verified capability lost: tools/);
  assert.match(page, /Capability verified: tools/);
});
