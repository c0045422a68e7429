import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { check, model, tempDb } from "./helpers.ts";

const HOSTILE = [
  `<script>alert("x")</script><img src=x onerror=alert(1)>`,
  `'; DROP TABLE models; --`,
  `"double" 'single' \`back\` \\ backslash \\" escaped`,
  `emoji 🦙 👩‍👩‍👧‍👦 🇯🇵 e\u0301 \u2028\u2029 \uFEFF zero\u200Bwidth`,
  `newlines\r\n\ttabs and control \u0001\u001f\u007f`,
  `{"json": [1, 2]} ?1 :at $x @y %s %d`,
];

Deno.test("hostile strings round-trip unchanged through models, events and checks", async () => {
  const db = await tempDb();
  const store = await openStore({ path: db.path });
  try {
    const big = "x".repeat(60_000) + HOSTILE.join(" ") + "🦙".repeat(12_000);
    assert.ok(new TextEncoder().encode(big).length > 100 * 1024); // 100 KB of UTF-8
    const models = HOSTILE.map((s, i) =>
      model(`${s}/${i}:free`, {
        name: s,
        description: i === 0 ? big : s,
        input_modalities: [s, "text"],
        supported_parameters: HOSTILE,
        expiration_date: s,
        reasoning: { mandatory: true, supported_efforts: [s] },
      })
    );
    const diff = await store.syncCatalog(models, 1_000, null);
    assert.deepEqual(diff.added, models.map((m) => m.id).sort());
    for (const m of models) {
      const row = await store.getModel(m.id);
      assert.ok(row, m.id);
      const { first_seen_at: _f, last_seen_at: _l, present: _p, removed_at: _r, ...facts } = row;
      assert.deepEqual(facts, m);
    }
    assert.equal((await store.getModel(models[0].id))?.description, big);
    const events = await store.listEvents({ modelId: models[1].id });
    assert.deepEqual(events.map((e) => e.model_id), [models[1].id]);

    const runId = await store.startRun({ trigger: "api", started_at: 1, host: HOSTILE[3] });
    for (const s of HOSTILE) {
      await store.insertCheck(
        runId,
        check(s, { status: "wrong_answer", provider: s, error: s, answer: `${s}${big}` }),
      );
    }
    for (const s of HOSTILE) {
      const [c] = await store.listChecks({ modelId: s });
      assert.deepEqual([c.model_id, c.provider, c.error, c.answer], [s, s, s, `${s}${big}`]);
    }
    assert.equal((await store.getRun(runId))?.host, HOSTILE[3]);
  } finally {
    store.close();
    await db.cleanup();
  }
});

Deno.test("text libsql cannot store is made safe instead of crashing or truncating", async () => {
  // A NUL would silently cut the string; a lone surrogate reaching SQLite through JSON would be
  // stored as invalid UTF-8, and reading it back aborts the process. Both become U+FFFD.
  const store = await openStore({ path: ":memory:" });
  try {
    const nasty = "a\u0000b\uD800c\uDFFFd";
    const safe = "a\uFFFDb\uFFFDc\uFFFDd";
    await store.syncCatalog([model("m", { name: nasty, supported_parameters: [nasty] })], 1, null);
    const row = await store.getModel("m");
    assert.equal(row?.name, safe);
    assert.deepEqual(row?.supported_parameters, [safe]);

    const runId = await store.startRun({ trigger: "cli", started_at: 1 });
    await store.insertCheck(runId, check("m", { status: "wrong_answer", answer: nasty }));
    assert.equal((await store.listChecks({ modelId: "m" }))[0].answer, safe);
  } finally {
    store.close();
  }
});
