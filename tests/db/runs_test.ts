import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { StoreError } from "../../lib/db/errors.ts";
import { check, tempDb } from "./helpers.ts";

Deno.test("runs: start, total, finish with counts from checks; newest first", async () => {
  const db = await tempDb();
  const store = await openStore({ path: db.path });
  try {
    const first = await store.startRun({ trigger: "cli", started_at: 1_000, pid: 42, host: "box" });
    assert.deepEqual(await store.getRun(first), {
      id: first,
      started_at: 1_000,
      finished_at: null,
      status: "running",
      trigger: "cli",
      total_models: null,
      ok_count: 0,
      failed_count: 0,
      skipped_count: 0,
      error: null,
      pid: 42,
      host: "box",
      heartbeat_at: 1_000,
      region: null,
      incident: null,
      traffic_measured: 0,
    });
    await store.setRunTotal(first, 5);
    const statuses = ["ok", "ok", "timeout", "rate_limited", "skipped"] as const;
    for (const [i, status] of statuses.entries()) {
      await store.insertCheck(first, check(`m${i}`, { status, checked_at: 1_100 + i }));
    }
    await store.finishRun(first, { status: "completed", finished_at: 2_000 });
    const done = await store.getRun(first);
    assert.equal(done?.status, "completed");
    assert.equal(done?.finished_at, 2_000);
    assert.equal(done?.total_models, 5);
    assert.deepEqual([done?.ok_count, done?.failed_count, done?.skipped_count], [2, 2, 1]);

    const second = await store.startRun({ trigger: "schedule", started_at: 3_000 });
    await store.finishRun(second, { status: "failed", finished_at: 3_100, error: "catalog 503" });
    const runs = await store.listRuns(10);
    assert.deepEqual(runs.map((r) => r.id), [second, first]);
    assert.equal(runs[0].error, "catalog 503");
    assert.equal(runs[0].pid, null);
    assert.deepEqual((await store.listRuns(1)).map((r) => r.id), [second]);

    assert.equal(await store.getRun(9_999), null);
    await assert.rejects(
      () => store.finishRun(9_999, { status: "completed", finished_at: 1 }),
      StoreError,
    );
  } finally {
    store.close();
    await db.cleanup();
  }
});

Deno.test("runs: markInterruptedRuns closes only the running ones, with their counts", async () => {
  const db = await tempDb();
  const store = await openStore({ path: db.path });
  try {
    const done = await store.startRun({ trigger: "cli", started_at: 1 });
    await store.finishRun(done, { status: "completed", finished_at: 2 });
    const a = await store.startRun({ trigger: "schedule", started_at: 3 });
    await store.insertCheck(a, check("x", { status: "ok", checked_at: 40 }));
    await store.insertCheck(
      a,
      check("y", { status: "not_found", http_status: 404, checked_at: 50 }),
    );
    const b = await store.startRun({ trigger: "api", started_at: 4 });

    assert.equal(await store.markInterruptedRuns(100), 2);
    const ra = await store.getRun(a);
    assert.equal(ra?.status, "interrupted");
    assert.equal(ra?.finished_at, 50, "it ended at its last sign of life, not when noticed");
    assert.deepEqual([ra?.ok_count, ra?.failed_count, ra?.skipped_count], [1, 1, 0]);
    const rb = await store.getRun(b);
    assert.equal(rb?.status, "interrupted");
    assert.equal(rb?.finished_at, 4);
    const rd = await store.getRun(done);
    assert.equal(rd?.status, "completed");
    assert.equal(rd?.finished_at, 2);

    assert.equal(await store.markInterruptedRuns(200), 0);
  } finally {
    store.close();
    await db.cleanup();
  }
});

Deno.test("runs: markInterruptedRuns spares runs the liveness test accepts; heartbeats count", async () => {
  const db = await tempDb();
  const store = await openStore({ path: db.path });
  try {
    const quiet = await store.startRun({ trigger: "cli", started_at: 1_000 });
    const beating = await store.startRun({ trigger: "schedule", started_at: 1_000 });
    const checking = await store.startRun({ trigger: "cli", started_at: 1_000 });
    await store.heartbeat(beating, 50_000);
    await store.insertCheck(checking, check("m", { checked_at: 45_000 }));
    const seen: Record<number, number> = {};
    const marked = await store.markInterruptedRuns(60_000, (run, last) => {
      seen[run.id] = last;
      return 60_000 - last < 20_000;
    });
    assert.equal(marked, 1);
    assert.deepEqual(seen, { [quiet]: 1_000, [beating]: 50_000, [checking]: 45_000 });
    assert.equal((await store.getRun(quiet))?.status, "interrupted");
    assert.equal((await store.getRun(beating))?.status, "running");
    assert.equal((await store.getRun(checking))?.status, "running");
    // A heartbeat never revives a finished run.
    await store.heartbeat(quiet, 70_000);
    assert.equal((await store.getRun(quiet))?.heartbeat_at, 1_000);
  } finally {
    store.close();
    await db.cleanup();
  }
});
