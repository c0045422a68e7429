import assert from "node:assert/strict";
import { SAME_SIGNAL_MS, stopSignalHandler } from "../../lib/cli/stop_signals.ts";
import { openStore } from "../../lib/db/open.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { startServer, waitFor } from "../hardening/server.ts";
import { TEST_KEY } from "../scan/helpers.ts";

Deno.test("stop signals: the first stops gracefully, an echo of it is ignored, a later one quits", () => {
  let t = 0;
  const calls: string[] = [];
  const handle = stopSignalHandler({
    stop: () => calls.push("stop"),
    quit: () => calls.push("quit"),
    now: () => t,
  });
  handle();
  t += 5; // the same Ctrl-C, passed on by `deno task`
  handle();
  assert.deepEqual(calls, ["stop"]);
  t += SAME_SIGNAL_MS;
  handle();
  assert.deepEqual(calls, ["stop", "quit"]);
});

Deno.test("Ctrl-C in a terminal under `deno task` (SIGINT twice at once): the server still stops cleanly", async () => {
  const ids = Array.from({ length: 6 }, (_, i) => `slow/model-${i}:free`);
  const fake = await startFakeOpenRouter({
    models: ids.map((id) => ({ id, delayMs: 2_000 })),
    apiKey: TEST_KEY,
  });
  const dir = await Deno.makeTempDir({ prefix: "scouter-sigint-" });
  try {
    const server = await startServer(dir, {
      OPENROUTER_API_KEY: TEST_KEY,
      OPENROUTER_BASE_URL: fake.url,
      OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS: "0",
    });
    // Once the scan knows its models (the catalog is read), each must end up recorded.
    await waitFor(
      "the scan on start",
      async () => {
        const s = await (await fetch(`${server.base}/api/summary`)).json();
        return s.scanning.running?.progress?.total === ids.length ? true : null;
      },
      30_000,
      server.logs,
    );
    server.child.kill("SIGINT");
    server.child.kill("SIGINT");
    assert.equal(await server.stop(), 0, server.logs());
    assert.match(server.logs(), /stopped$/m);
    const store = await openStore({ path: `${dir}/results/scouter.db` });
    try {
      const [run] = await store.listRuns(1);
      assert.equal(run.status, "aborted");
      const checks = await store.listChecks({ runId: run.id });
      assert.equal(checks.length, ids.length, "every model recorded, the rest skipped");
      assert.ok(checks.some((c) => c.status === "skipped" && c.skip_reason === "shutdown"));
    } finally {
      store.close();
    }
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
