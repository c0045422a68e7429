import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { check, tempDb } from "./helpers.ts";

Deno.test("checks: list by model, run and time range, oldest first; limit keeps the newest", async () => {
  const store = await openStore({ path: ":memory:" });
  try {
    const r1 = await store.startRun({ trigger: "cli", started_at: 0 });
    const r2 = await store.startRun({ trigger: "cli", started_at: 50 });
    for (let t = 0; t < 10; t++) {
      await store.insertCheck(
        t < 5 ? r1 : r2,
        check(t % 2 ? "odd" : "even", { checked_at: t * 10 }),
      );
    }
    const odd = await store.listChecks({ modelId: "odd" });
    assert.deepEqual(odd.map((c) => c.checked_at), [10, 30, 50, 70, 90]);
    assert.deepEqual(
      (await store.listChecks({ modelId: "odd", from: 30, to: 90 })).map((c) => c.checked_at),
      [30, 50, 70],
    );
    assert.deepEqual(
      (await store.listChecks({ modelId: "even", limit: 2 })).map((c) => c.checked_at),
      [60, 80],
    );
    assert.equal((await store.listChecks({ runId: r2 })).length, 5);
    assert.equal((await store.listChecks({})).length, 10);

    const [c] = odd;
    assert.equal(c.ok, true);
    assert.equal(c.run_id, r1);
    assert.equal(c.tokens_per_second, 12.5);
    assert.equal(c.skip_reason, null);

    await store.insertCheck(
      r2,
      check("q", {
        status: "skipped",
        skip_reason: "quota",
        http_status: null,
        latency_ms: 12.6,
        ttft_ms: null,
        tokens_per_second: Number.NaN,
      }),
    );
    const [s] = await store.listChecks({ modelId: "q" });
    assert.deepEqual(
      [s.ok, s.status, s.skip_reason, s.latency_ms, s.tokens_per_second],
      [false, "skipped", "quota", 13, null],
    );
    // A check must belong to a run that exists (foreign key).
    await assert.rejects(() => store.insertCheck(12_345, check("z")));
  } finally {
    store.close();
  }
});

Deno.test("checks: durable when the writer is SIGKILLed; the run is then marked interrupted", async () => {
  const db = await tempDb();
  try {
    const n = 25;
    const root = new URL("../../", import.meta.url);
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        new URL("crash_writer.ts", import.meta.url).pathname,
        db.path,
        String(n),
      ],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.signal, "SIGKILL", stderr);
    const { runId } = JSON.parse(new TextDecoder().decode(out.stdout));
    // Nothing was checkpointed or closed: the checks live only in the write-ahead log.
    assert.ok((await Deno.stat(`${db.path}-wal`)).size > 0);

    const store = await openStore({ path: db.path });
    try {
      const checks = await store.listChecks({ runId });
      assert.equal(checks.length, n);
      assert.deepEqual(
        checks.map((c) => c.model_id),
        Array.from({ length: n }, (_, i) => `vendor/model-${i}:free`),
      );
      assert.equal((await store.getRun(runId))?.status, "running");

      assert.equal(await store.markInterruptedRuns(9_000), 1);
      const run = await store.getRun(runId);
      assert.equal(run?.status, "interrupted");
      // Ended at its last check, not at 9,000 when it was found dead.
      assert.equal(run?.finished_at, Math.max(...checks.map((c) => c.checked_at)));
      assert.equal(run?.ok_count, 16);
      assert.equal(run?.failed_count, 9);
      const integrity = await store.client.execute("PRAGMA integrity_check");
      assert.equal(integrity.rows[0].integrity_check, "ok");
    } finally {
      store.close();
    }
  } finally {
    await db.cleanup();
  }
});
