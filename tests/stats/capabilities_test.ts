import assert from "node:assert/strict";
import {
  capabilitiesByModel,
  capabilitiesOf,
  unknownCapabilities,
  verifiedAll,
} from "../../lib/stats/capabilities.ts";
import { openTestStore, seedStore } from "../seed.ts";
import { seedVerdicts } from "./capability_seed.ts";

const NOW = Date.UTC(2026, 10, 27, 12);
const H = 3_600_000;

Deno.test("capabilities: the catalog's claims beside the latest verdicts, every model in one read", async () => {
  await using db = await openTestStore();
  await seedStore(db.store, {
    models: [
      {
        id: "tools/a:free",
        supported_parameters: ["tools", "response_format", "include_reasoning"],
      },
      { id: "vision/b:free", input_modalities: ["text", "IMAGE"] },
      { id: "plain/c:free", supported_parameters: ["max_tokens"] },
    ],
  });
  await seedVerdicts(db.store.client, [
    {
      model_id: "tools/a:free",
      capability: "tools",
      verified: false,
      checked_at: NOW - 3 * H,
      detail: "answered in prose",
    },
    { model_id: "tools/a:free", capability: "json", verified: true, checked_at: NOW - H },
    // A verdict without a claim (reasoning seen in a health probe).
    { model_id: "plain/c:free", capability: "reasoning", verified: true, checked_at: NOW - H },
    // A verdict for a model the catalog never listed: nothing to show it on.
    { model_id: "ghost/x:free", capability: "tools", verified: true, checked_at: NOW },
  ]);
  const caps = await capabilitiesByModel(db.store.client);
  assert.deepEqual([...caps.keys()].sort(), ["plain/c:free", "tools/a:free", "vision/b:free"]);
  const a = caps.get("tools/a:free")!;
  assert.deepEqual(a.tools, {
    claimed: true,
    verified: false,
    checked_at: new Date(NOW - 3 * H).toISOString(),
    detail: "answered in prose",
  });
  assert.deepEqual(a.json, {
    claimed: true,
    verified: true,
    checked_at: new Date(NOW - H).toISOString(),
    detail: null,
  });
  assert.deepEqual(a.vision, { claimed: false, verified: null, checked_at: null, detail: null });
  assert.deepEqual(a.reasoning, {
    claimed: true,
    verified: null,
    checked_at: null,
    detail: null,
  });
  assert.equal(caps.get("vision/b:free")!.vision.claimed, true, "modalities case-insensitive");
  assert.equal(caps.get("vision/b:free")!.vision.verified, null, "claimed, not verified yet");
  const c = caps.get("plain/c:free")!;
  assert.equal(c.reasoning.claimed, false);
  assert.equal(c.reasoning.verified, true);

  // Only some ids; none at all.
  const one = await capabilitiesByModel(db.store.client, ["tools/a:free", "nope:free"]);
  assert.deepEqual([...one.keys()], ["tools/a:free"]);
  assert.deepEqual(one.get("tools/a:free"), a);
  assert.equal((await capabilitiesByModel(db.store.client, [])).size, 0);

  assert.equal(verifiedAll(a, ["json"]), true);
  assert.equal(verifiedAll(a, ["json", "tools"]), false, "every one asked for");
  assert.equal(verifiedAll(caps.get("vision/b:free")!, ["vision"]), false, "a claim is not enough");
  assert.equal(verifiedAll(a, []), true);
});

Deno.test("capabilities: an unknown model and a fresh database have every capability unknown", async () => {
  await using db = await openTestStore({ memory: true });
  assert.equal((await capabilitiesByModel(db.store.client)).size, 0);
  const u = unknownCapabilities();
  assert.deepEqual(Object.keys(u), ["tools", "json", "vision", "reasoning"]);
  for (const s of Object.values(u)) {
    assert.deepEqual(s, { claimed: false, verified: null, checked_at: null, detail: null });
  }
  assert.deepEqual(capabilitiesOf(null, undefined), u);
});
