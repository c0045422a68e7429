import assert from "node:assert/strict";
import { generateHistory, openTestStore, PROFILES, seedStore } from "../seed.ts";

const NOW = Date.UTC(2026, 10, 27, 10, 30);

Deno.test("seedStore: models, runs grouped by time or key, run statuses from skip reasons", async () => {
  await using db = await openTestStore();
  const t = NOW - 3_600_000;
  const { runIds, checkIds } = await seedStore(db.store, {
    models: [{ id: "a/a:free", name: "A" }, { id: "gone/g:free", present: false }],
    checks: [
      { model_id: "a/a:free", checked_at: t, status: "ok" },
      { model_id: "b/b:free", checked_at: t + 1000, status: "skipped" }, // b added as present
      { model_id: "a/a:free", checked_at: t + 2 * 3_600_000, status: "timeout", latency_ms: null },
      { model_id: "gone/g:free", checked_at: t - 86_400_000, status: "ok", run: "x" },
    ],
  });
  assert.equal(runIds.length, 3);
  assert.equal(checkIds.length, 4);
  const runs = await db.store.listRuns(10);
  assert.deepEqual(runs.map((r) => [r.status, r.ok_count, r.failed_count, r.skipped_count]), [
    ["completed", 0, 1, 0],
    ["quota_exhausted", 1, 0, 1],
    ["completed", 1, 0, 0],
  ]);
  const models = await db.store.listModels();
  assert.deepEqual(models.map((m) => [m.id, m.name, m.present]), [
    ["a/a:free", "A", true],
    ["b/b:free", "Model b/b:free", true],
    ["gone/g:free", "Model gone/g:free", false],
  ]);
  const [timeout] = await db.store.listChecks({ modelId: "a/a:free", limit: 1 });
  assert.equal(timeout.latency_ms, null); // an explicit null stays null
  assert.equal(timeout.attempts, 3); // a default for the status
});

Deno.test("generateHistory: deterministic, every profile, nothing after now", () => {
  const a = generateHistory({ now: NOW, models: PROFILES.length, days: 2, seed: 3 });
  const b = generateHistory({ now: NOW, models: PROFILES.length, days: 2, seed: 3 });
  assert.deepEqual(a.checks, b.checks);
  assert.deepEqual(new Set(a.profiles.values()), new Set(PROFILES));
  assert.ok(a.checks!.every((c) => c.checked_at <= NOW));
  assert.ok(a.models!.some((m) => m.present === false));
});
