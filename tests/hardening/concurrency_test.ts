/**
 * The server and `deno task scan` on one database at the same time: never two scans at once
 * unless asked for (`--allow-concurrent`), no "database is locked" reaching anyone, every
 * page and API call answered meanwhile, and a database that passes integrity_check.
 */
import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { cliCommand, runCli } from "../cli/run_cli.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { TEST_KEY } from "../scan/helpers.ts";
import { ADMIN_TOKEN } from "./app_world.ts";
import { startServer, waitFor } from "./server.ts";

const LOCKED = /database is locked|SQLITE_BUSY/i;

Deno.test("server and CLI on one database: one scan at a time unless asked, no lock errors, integrity ok", async () => {
  const ids = Array.from({ length: 24 }, (_, i) => `both/model-${i}:free`);
  const fake = await startFakeOpenRouter({
    models: ids.map((id) => ({ id, delayMs: 150 })),
    apiKey: TEST_KEY,
  });
  const dir = await Deno.makeTempDir({ prefix: "scouter-both-" });
  const env = {
    OPENROUTER_API_KEY: TEST_KEY,
    OPENROUTER_BASE_URL: fake.url,
    OPENROUTER_SCOUT_ADMIN_TOKEN: ADMIN_TOKEN,
    OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS: "0",
    OPENROUTER_SCOUT_CONCURRENCY: "2",
    OPENROUTER_SCOUT_RPM: "100000",
    OPENROUTER_SCOUT_MAX_RETRIES: "0",
  };
  // The server's scan is spaced out (24 × 0.4 s) so it outlives the response cache's few
  // seconds of /api/summary while the CLI scans beside it.
  const server = await startServer(dir, { ...env, OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS: "0.4" });
  const base = server.base;
  const summary = async () => await (await fetch(`${base}/api/summary`)).json();

  // Readers all along: every answer a 200, none mentioning a lock.
  let reading = true;
  const answers: { path: string; status: number; locked: boolean }[] = [];
  const readers = Array.from({ length: 6 }, async (_, i) => {
    const paths = [
      "/",
      "/api/models",
      "/api/summary",
      "/runs",
      `/models/${encodeURIComponent(ids[i])}`,
    ];
    while (reading) {
      for (const path of paths) {
        const res = await fetch(base + path);
        const text = await res.text();
        answers.push({ path, status: res.status, locked: LOCKED.test(text) });
      }
    }
  });
  try {
    // 1. The server scans (at start); a CLI scan now is refused, and says how to insist.
    await waitFor("the server's scan", async () => (await summary()).scanning.running ?? null);
    const refused = await runCli(["scan"], env, dir);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /another scan is running on this database.*--allow-concurrent/);
    assert.doesNotMatch(refused.stderr, LOCKED);

    // 2. Asked for, a second scan runs beside the server's.
    assert.ok((await summary()).scanning.running, "the server's scan still runs");
    const both = await runCli(
      ["scan", "--allow-concurrent", "--json", "--max-models", "8"],
      env,
      dir,
    );
    assert.equal(both.code, 0, both.stderr);
    assert.equal(JSON.parse(both.stdout).status, "completed");
    assert.doesNotMatch(both.stderr, LOCKED);
    await waitFor(
      "the server's scan to end",
      async () => (await summary()).scanning.running ? null : true,
    );

    // 3. The CLI scans; the server refuses to start another and shows the CLI's. Spaced out
    // (12 × 0.5 s), so it outlives the response cache's few seconds of /api/summary.
    const cli = cliCommand(["scan", "--max-models", "12", "--request-delay-seconds", "0.5"], {
      PATH: Deno.env.get("PATH") ?? "",
      ...env,
    }, dir).spawn();
    const elsewhere = await waitFor("the CLI's scan", async () => {
      const running = (await summary()).scanning.running;
      return running?.run_id ? running : null;
    });
    const post = await fetch(`${base}/api/scan`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.equal(post.status, 409);
    assert.match((await post.json()).error, /already running/);
    const cliOut = await cli.output();
    const cliErr = new TextDecoder().decode(cliOut.stderr);
    assert.equal(cliOut.code, 0, cliErr);
    assert.doesNotMatch(cliErr, LOCKED);

    reading = false;
    await Promise.all(readers);
    assert.ok(answers.length > 50, `${answers.length} answers`);
    const bad = answers.filter((a) => a.status !== 200 || a.locked);
    assert.deepEqual(bad, [], "every read answered, none locked");
    assert.equal(await server.stop(), 0, server.logs());
    assert.doesNotMatch(server.logs(), LOCKED);

    const store = await openStore({ path: `${dir}/results/scouter.db` });
    try {
      const runs = (await store.listRuns(10)).reverse();
      assert.deepEqual(runs.map((r) => [r.trigger, r.status]), [
        ["schedule", "completed"],
        ["cli", "completed"],
        ["cli", "completed"],
      ]);
      assert.equal(runs[2].id, elsewhere.run_id);
      // Only the scan that asked for it overlapped another.
      const overlaps = (a: typeof runs[0], b: typeof runs[0]) =>
        a.started_at < b.finished_at! && b.started_at < a.finished_at!;
      assert.ok(overlaps(runs[0], runs[1]), "--allow-concurrent ran beside the server's scan");
      assert.ok(!overlaps(runs[0], runs[2]) && !overlaps(runs[1], runs[2]));
      assert.equal((await store.listChecks({ runId: runs[0].id })).length, ids.length);
      const integrity = await store.client.execute("PRAGMA integrity_check");
      assert.equal(integrity.rows[0][0], "ok");
    } finally {
      store.close();
    }
  } finally {
    reading = false;
    await Promise.allSettled(readers);
    await server.stop();
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
