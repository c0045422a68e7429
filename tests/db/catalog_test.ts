import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { model, tempDb } from "./helpers.ts";

Deno.test("catalog: added, removed and returned across three syncs", async () => {
  const db = await tempDb();
  const store = await openStore({ path: db.path });
  try {
    const run1 = await store.startRun({ trigger: "cli", started_at: 1_000 });
    const d1 = await store.syncCatalog([model("b"), model("a"), model("c")], 1_000, run1);
    assert.deepEqual(d1, { added: ["a", "b", "c"], removed: [], returned: [] });

    // b disappears, d appears, a changes its facts
    const d2 = await store.syncCatalog(
      [
        model("a", {
          name: "A v2",
          context_length: 8192,
          reasoning: { mandatory: true, supported_efforts: ["low"] },
        }),
        model("c"),
        model("d"),
      ],
      2_000,
      null,
    );
    assert.deepEqual(d2, { added: ["d"], removed: ["b"], returned: [] });
    const b = await store.getModel("b");
    assert.equal(b?.present, false);
    assert.equal(b?.removed_at, 2_000);
    assert.equal(b?.last_seen_at, 1_000);
    const a = await store.getModel("a");
    assert.equal(a?.name, "A v2");
    assert.equal(a?.context_length, 8192);
    assert.deepEqual(a?.reasoning, { mandatory: true, supported_efforts: ["low"] });
    assert.equal(a?.first_seen_at, 1_000);
    assert.equal(a?.last_seen_at, 2_000);

    // b comes back, c and d go, a stays
    const d3 = await store.syncCatalog([model("a"), model("b")], 3_000, run1);
    assert.deepEqual(d3, { added: [], removed: ["c", "d"], returned: ["b"] });
    const b3 = await store.getModel("b");
    assert.deepEqual(
      [b3?.present, b3?.removed_at, b3?.first_seen_at, b3?.last_seen_at],
      [true, null, 1_000, 3_000],
    );

    assert.deepEqual(
      (await store.listModels({ presentOnly: true })).map((m) => m.id),
      ["a", "b"],
    );
    assert.deepEqual((await store.listModels()).map((m) => m.id), ["a", "b", "c", "d"]);

    const bEvents = await store.listEvents({ modelId: "b" });
    assert.deepEqual(
      bEvents.map((e) => [e.kind, e.at, e.run_id]),
      [["returned", 3_000, run1], ["removed", 2_000, null], ["added", 1_000, run1]],
    );
    assert.equal((await store.listEvents({})).length, 3 + 2 + 3);
    assert.equal((await store.listEvents({ limit: 2 })).length, 2);

    // The same catalog again changes nothing but last_seen_at.
    assert.deepEqual(
      await store.syncCatalog([model("a"), model("b")], 4_000, null),
      { added: [], removed: [], returned: [] },
    );
    assert.equal((await store.getModel("a"))?.last_seen_at, 4_000);
  } finally {
    store.close();
    await db.cleanup();
  }
});

Deno.test("catalog: an empty catalog is refused and changes nothing", async () => {
  const store = await openStore({ path: ":memory:" });
  try {
    await store.syncCatalog([model("a"), model("b")], 1_000, null);
    const before = await store.listModels();
    assert.deepEqual(await store.syncCatalog([], 2_000, null), {
      added: [],
      removed: [],
      returned: [],
    });
    assert.deepEqual(await store.listModels(), before);
    assert.equal((await store.listEvents({})).length, 2);
  } finally {
    store.close();
  }
});

Deno.test("catalog: arrays, booleans and nulls round-trip; duplicate ids count once", async () => {
  const store = await openStore({ path: ":memory:" });
  try {
    const full = model("openrouter/free", {
      description: null,
      context_length: null,
      input_modalities: ["text", "image"],
      output_modalities: [],
      supported_parameters: ["reasoning", "tools"],
      expiration_date: "2026-01-31",
      created: null,
      is_router: true,
      reasoning: { mandatory: false, supported_efforts: [] },
    });
    const diff = await store.syncCatalog([model("openrouter/free"), full], 1, null);
    assert.deepEqual(diff.added, ["openrouter/free"]);
    const row = await store.getModel("openrouter/free");
    const { first_seen_at: _f, last_seen_at: _l, present, removed_at, ...facts } = row!;
    assert.deepEqual(facts, full);
    assert.equal(present, true);
    assert.equal(removed_at, null);
    assert.equal(await store.getModel("nope"), null);
  } finally {
    store.close();
  }
});
