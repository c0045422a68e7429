/**
 * kill -9 of the server in the middle of a scan, then a restart on the same database: the
 * checks already written are all there, the dead run ends `interrupted` (with its counts) when
 * its heartbeat goes stale (last heartbeat + STALE_RUN_MS, not at some later minute tick),
 * /api/summary never reports it as the running scan once it is dead, the next scan runs
 * normally, and the database passes `PRAGMA integrity_check`.
 */
import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { HEARTBEAT_MS, STALE_RUN_MS } from "../../lib/scan/liveness.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { TEST_KEY } from "../scan/helpers.ts";
import { ADMIN_TOKEN } from "./app_world.ts";
import { startServer, waitFor } from "./server.ts";

Deno.test("kill -9 mid-scan, restart: checks kept, run interrupted in time, next scan normal, integrity ok", async () => {
  const ids = Array.from({ length: 20 }, (_, i) => `crash/model-${i}:free`);
  const fake = await startFakeOpenRouter({
    models: ids.map((id) => ({ id, delayMs: 250 })),
    apiKey: TEST_KEY,
  });
  const dir = await Deno.makeTempDir({ prefix: "scouter-crash-" });
  const env = {
    OPENROUTER_API_KEY: TEST_KEY,
    OPENROUTER_BASE_URL: fake.url,
    OPENROUTER_SCOUT_ADMIN_TOKEN: ADMIN_TOKEN,
    OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS: "0",
    OPENROUTER_SCOUT_CONCURRENCY: "1",
    // Pacing is not under test: at the default 20 a minute, one retried check on a busy CI
    // machine would hold the next scan's 21st request for most of a minute.
    OPENROUTER_SCOUT_RPM: "1000",
  };
  try {
    const first = await startServer(dir, env);
    const summary = async (base: string) => await (await fetch(`${base}/api/summary`)).json();
    const seen = await waitFor(
      "a few checks",
      async () => {
        const done = (await summary(first.base)).scanning.running?.progress?.done ?? 0;
        return done >= 4 ? done : null;
      },
      60_000,
      first.logs,
    );
    await first.kill9();
    const killedAt = Date.now();
    assert.doesNotMatch(first.logs(), /stopped|shutting down/, "it died, it did not stop");

    const second = await startServer(dir, env);
    // Right after the kill the dead scan's lease is fresh: it could be alive elsewhere.
    await waitFor(
      "the restart's log",
      () => Promise.resolve(/scan on start waits/.test(second.logs()) ? true : null),
      30_000,
      second.logs,
    );
    const killed = (await (await fetch(`${second.base}/api/runs`)).json()).at(-1);
    assert.equal(killed.status, "running", "not judged dead yet");

    // Its silence outlasts the lease: the restarted server marks it interrupted then.
    fake.setModels(ids.map((id) => ({ id })));
    const reportedDead: string[] = [];
    const closed = await waitFor(
      "the killed run interrupted",
      async () => {
        const s = await summary(second.base);
        const list: { id: number; status: string }[] =
          await (await fetch(`${second.base}/api/runs`)).json();
        // Once the heartbeat is stale by the kill's clock, the status must not show it.
        if (
          Date.now() - killedAt > STALE_RUN_MS + 500 && s.scanning.running?.run_id === killed.id
        ) {
          reportedDead.push(`${Date.now() - killedAt} ms after the kill`);
        }
        const run = list.find((r) => r.id === killed.id);
        return run?.status === "interrupted" ? Date.now() - killedAt : null;
      },
      STALE_RUN_MS + 30_000,
      second.logs,
    );
    console.log(`killed run ${killed.id} interrupted ${closed} ms after the kill`);
    // The last heartbeat was at most HEARTBEAT_MS before the kill: stale by 20 s after it.
    assert.ok(closed <= STALE_RUN_MS + 3_000, `${closed} ms`);
    assert.ok(closed >= STALE_RUN_MS - HEARTBEAT_MS - 1_000, `${closed} ms: too early`);
    assert.deepEqual(reportedDead, [], "a dead run was reported as the running scan");

    // Then a scan starts normally.
    const post = await fetch(`${second.base}/api/scan`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    // A cron tick (each minute) may have started the pending scan on start first: then the
    // request finds it running (409), or it already ended and the request starts another.
    const answer = await post.text();
    assert.ok(post.status === 202 || post.status === 409, `${post.status} ${answer}`);
    interface Run {
      id: number;
      status: string;
      trigger: string;
      ok_count: number;
      started_at: string;
      finished_at: string | null;
    }
    let lastRuns: Run[] = [];
    const runs = await waitFor(
      "the next scan",
      async () => {
        const list: Run[] = lastRuns = await (await fetch(`${second.base}/api/runs`)).json();
        const settled = list.length >= 2 && list.every((r) => r.status !== "running");
        return settled && (post.status !== 202 || list.some((r) => r.trigger === "api"))
          ? list
          : null;
      },
      90_000,
      () => `runs: ${JSON.stringify(lastRuns)}\nserver log:\n${second.logs()}`,
    );
    const [dead, ...after] = runs.toReversed();
    assert.ok(after.length <= 2, JSON.stringify(runs));
    for (const run of after) {
      assert.equal(run.status, "completed");
      assert.equal(run.ok_count, ids.length);
    }
    // One scan at a time: each started after the one before it finished.
    for (let i = 1; i < after.length; i++) {
      assert.ok(Date.parse(after[i].started_at) >= Date.parse(after[i - 1].finished_at!));
    }
    assert.equal(dead.id, killed.id);
    assert.equal(dead.status, "interrupted");
    assert.ok(dead.finished_at);
    assert.ok(Date.parse(dead.finished_at) <= killedAt, "it ended at its last sign of life");
    assert.ok(dead.ok_count >= seen, `${dead.ok_count} checks kept of ${seen} seen`);
    assert.match(second.logs(), /marked 1 abandoned run\(s\) as interrupted/);
    assert.equal(await second.stop(), 0, second.logs());

    const store = await openStore({ path: `${dir}/results/scouter.db` });
    try {
      const kept = await store.listChecks({ runId: killed.id });
      assert.equal(kept.length, dead.ok_count);
      assert.ok(kept.every((c) => c.status === "ok"));
      assert.equal(new Set(kept.map((c) => c.model_id)).size, kept.length, "no check twice");
      const integrity = await store.client.execute("PRAGMA integrity_check");
      assert.equal(integrity.rows[0][0], "ok");
      const fk = await store.client.execute("PRAGMA foreign_key_check");
      assert.equal(fk.rows.length, 0);
    } finally {
      store.close();
    }
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
