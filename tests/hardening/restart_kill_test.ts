/**
 * kill -9 of a scanning server, then a restart on the same database: the killed run turns
 * `interrupted` when its heartbeat goes stale (last heartbeat + STALE_RUN_MS), not at some
 * later minute tick, and /api/summary never reports it as the running scan once it is dead.
 */
import assert from "node:assert/strict";
import { HEARTBEAT_MS, STALE_RUN_MS } from "../../lib/scan/liveness.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { TEST_KEY } from "../scan/helpers.ts";
import { startServer, waitFor } from "./server.ts";

Deno.test("kill -9, restart: the dead run is interrupted within its heartbeat window", async () => {
  const ids = Array.from({ length: 30 }, (_, i) => `kill/model-${i}:free`);
  const fake = await startFakeOpenRouter({
    models: ids.map((id) => ({ id, delayMs: 400 })),
    apiKey: TEST_KEY,
  });
  const dir = await Deno.makeTempDir({ prefix: "scouter-kill-" });
  const env = {
    OPENROUTER_API_KEY: TEST_KEY,
    OPENROUTER_BASE_URL: fake.url,
    OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS: "0",
    OPENROUTER_SCOUT_CONCURRENCY: "1",
    OPENROUTER_SCOUT_RPM: "1000",
  };
  try {
    const first = await startServer(dir, env);
    const summary = async (base: string) => await (await fetch(`${base}/api/summary`)).json();
    const runId = await waitFor(
      "a scan under way",
      async () => {
        const running = (await summary(first.base)).scanning.running;
        return (running?.progress?.done ?? 0) >= 2 ? running.run_id as number : null;
      },
      60_000,
      first.logs,
    );
    await first.kill9();
    const killedAt = Date.now();

    const second = await startServer(dir, env);
    try {
      interface Run {
        id: number;
        status: string;
        finished_at: string | null;
      }
      const reportedDead: string[] = [];
      const done = await waitFor(
        "the killed run interrupted",
        async () => {
          const s = await summary(second.base);
          const runs: Run[] = await (await fetch(`${second.base}/api/runs`)).json();
          const run = runs.find((r) => r.id === runId);
          // Once the heartbeat is stale by the kill's clock, the status must not show it.
          if (Date.now() - killedAt > STALE_RUN_MS + 500 && s.scanning.running?.run_id === runId) {
            reportedDead.push(`${Date.now() - killedAt} ms after the kill`);
          }
          return run?.status === "interrupted" ? { run, after: Date.now() - killedAt } : null;
        },
        STALE_RUN_MS + 30_000,
        second.logs,
      );
      console.log(`killed run ${runId} interrupted ${done.after} ms after the kill`);
      // The last heartbeat was at most HEARTBEAT_MS before the kill: stale by 20 s after it.
      assert.ok(done.after <= STALE_RUN_MS + 3_000, `${done.after} ms`);
      assert.ok(done.after >= STALE_RUN_MS - HEARTBEAT_MS - 1_000, `${done.after} ms: too early`);
      assert.ok(Date.parse(done.run.finished_at!) <= killedAt, "it ended at its last sign of life");
      assert.deepEqual(reportedDead, [], "a dead run was reported as the running scan");
    } finally {
      assert.equal(await second.stop(), 0, second.logs());
    }
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
