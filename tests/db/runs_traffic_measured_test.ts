/** Migration 12: runs count the models routed traffic measured (not probed). */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { migrate, MIGRATIONS } from "../../lib/db/migrations.ts";
import { finishRun, getRun, listRuns, startRun } from "../../lib/db/runs.ts";

Deno.test("migration 12 runs on a database with runs and checks: old runs count 0", async () => {
  const client = createClient({ url: ":memory:" });
  try {
    await migrate(client, 0, MIGRATIONS.filter((m) => m.version < 12));
    await client.execute(
      `INSERT INTO runs (id, started_at, finished_at, status, "trigger", total_models, ok_count)
        VALUES (1, 1000, 2000, 'completed', 'cli', 2, 2)`,
    );
    await client.execute(
      `INSERT INTO checks (run_id, model_id, checked_at, status, ok)
        VALUES (1, 'a/a:free', 1500, 'ok', 1), (1, 'b/b:free', 1600, 'ok', 1)`,
    );
    const report = await migrate(client);
    assert.ok(report.applied.includes(12), `applied ${report.applied}`);
    const old = await getRun(client, 1);
    assert.equal(old?.traffic_measured, 0);
    assert.equal(old?.ok_count, 2);
    const checks = await client.execute("SELECT COUNT(*) AS n FROM checks");
    assert.equal(Number(checks.rows[0].n), 2);

    // A new run stores its count when it finishes.
    const id = await startRun(client, { trigger: "schedule", started_at: 3000 });
    await finishRun(client, id, { status: "completed", finished_at: 4000, traffic_measured: 3 });
    assert.equal((await getRun(client, id))?.traffic_measured, 3);
    assert.deepEqual((await listRuns(client, 10)).map((r) => r.traffic_measured), [3, 0]);
  } finally {
    client.close();
  }
});
