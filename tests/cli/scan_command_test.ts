import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { TEST_KEY } from "../scan/helpers.ts";
import { STALE_RUN_MS } from "../../lib/scan/liveness.ts";
import { cliCommand, runCli } from "./run_cli.ts";

async function tempDir() {
  const dir = await Deno.makeTempDir({ prefix: "scouter-cli-" });
  return {
    dir,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function assertOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0], pattern);
  assert.ok(!/\bat .*\.ts:\d+/.test(stderr), "no stack trace");
}

Deno.test("bad usage and configuration: one line on stderr, exit 2", async () => {
  await using tmp = await tempDir();
  const env = { OPENROUTER_API_KEY: TEST_KEY };
  const cases: [string[], Record<string, string>, RegExp][] = [
    [["scan", "--bogus"], env, /^scouter scan: unknown flag --bogus$/],
    [["scan", "--concurrency", "zero"], env, /--concurrency must be a whole number/],
    [["scan"], {}, /OPENROUTER_API_KEY is not set/],
    [["scan"], { ...env, OPENROUTER_SCOUT_RPM: "-5" }, /OPENROUTER_SCOUT_RPM must be/],
    [["scan", "--env-file", "missing.env"], env, /env file not found: missing\.env/],
    [["frobnicate"], env, /unknown command "frobnicate"/],
  ];
  for (const [args, extraEnv, pattern] of cases) {
    const r = await runCli(args, extraEnv, tmp.dir);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assertOneLine(r.stderr, pattern);
    assert.ok(!r.stderr.includes(TEST_KEY));
  }
});

Deno.test("--json: one CONTRACT object on stdout, logs on stderr, no key anywhere", async () => {
  await using tmp = await tempDir();
  await using fake = await fakeServer([
    { id: "good/model:free" },
    { id: "bad/model:free", behaviors: ["http_404"] },
  ]);
  const r = await runCli(["scan", "--json", "--request-delay-seconds", "0"], {
    OPENROUTER_API_KEY: TEST_KEY,
    OPENROUTER_BASE_URL: fake.url,
  }, tmp.dir);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(
    Object.keys(out).filter((k) =>
      ["run_id", "status", "started_at", "finished_at", "results"].includes(k)
    ),
    ["run_id", "status", "started_at", "finished_at", "results"],
  );
  assert.equal(out.status, "completed");
  assert.ok(!Number.isNaN(Date.parse(out.started_at)));
  const good = out.results.find((x: { model_id: string }) => x.model_id === "good/model:free");
  assert.deepEqual(
    { ok: good.ok, status: good.status, http_status: good.http_status, attempts: good.attempts },
    { ok: true, status: "ok", http_status: 200, attempts: 1 },
  );
  assert.equal(typeof good.latency_ms, "number");
  assert.equal(typeof good.ttft_ms, "number");
  const bad = out.results.find((x: { model_id: string }) => x.model_id === "bad/model:free");
  assert.equal(bad.status, "not_found");
  assert.equal(bad.ok, false);
  assert.match(r.stderr, /2 free models in the catalog/);
  assert.ok(!r.stdout.includes(TEST_KEY) && !r.stderr.includes(TEST_KEY));
  // The default database lands under the working directory.
  const store = await openStore({ path: `${tmp.dir}/results/scouter.db` });
  try {
    assert.equal((await store.listChecks({ runId: out.run_id })).length, 2);
  } finally {
    store.close();
  }
});

Deno.test("plain output: a line per check and a summary", async () => {
  await using tmp = await tempDir();
  await using fake = await fakeServer([{ id: "good/model:free" }]);
  const r = await runCli(["scan", "--db-path", "x/y.db"], {
    OPENROUTER_API_KEY: TEST_KEY,
    OPENROUTER_BASE_URL: fake.url,
  }, tmp.dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ok\s+good\/model:free HTTP 200 \d+ ms/m);
  assert.match(r.stdout, /^run \d+ completed: 1\/1 ok$/m);
  await Deno.stat(`${tmp.dir}/x/y.db`);
});

Deno.test("plain output and logs: a model id with newlines and escape codes stays on its line", async () => {
  await using tmp = await tempDir();
  const evil = "evil/a\nok               forged:free\x1b[2J\u202e:free";
  await using fake = await fakeServer([{ id: "good/model:free" }]);
  const env = { OPENROUTER_API_KEY: TEST_KEY, OPENROUTER_BASE_URL: fake.url };
  // The first sync is summed up in one line; the evil id arrives at the second, named.
  assert.equal((await runCli(["scan"], env, tmp.dir)).code, 0);
  fake.setModels([{ id: "good/model:free" }, { id: evil }]);
  const r = await runCli(["scan"], env, tmp.dir);
  assert.equal(r.code, 0, r.stderr);
  for (const out of [r.stdout, r.stderr]) {
    assert.ok(
      !out.includes("\x1b") && !out.includes("\u202e"),
      "no escape code or bidi override reaches the terminal",
    );
  }
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, 3, r.stdout);
  assert.ok(!lines.some((l) => l.startsWith("ok               forged")), "no forged line");
  assert.ok(lines.some((l) => l.includes("evil/a\\u000aok")));
  assert.match(r.stderr, /new free model: evil\/a\\u000aok {15}forged:free\\u001b\[2J\\u202e:free/);
});

Deno.test("exit 1 when the catalog is unreachable; exit 3 with --fail-if-none-ok", async () => {
  await using tmp = await tempDir();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const unreachable = await runCli(["scan", "--timeout-seconds", "2"], {
    OPENROUTER_API_KEY: TEST_KEY,
    OPENROUTER_BASE_URL: `http://127.0.0.1:${closedPort}/api/v1`,
  }, tmp.dir);
  assert.equal(unreachable.code, 1, unreachable.stderr);
  assert.match(unreachable.stdout, /^run \d+ failed: 0\/0 ok — could not read the model catalog/m);

  await using fake = await fakeServer([{ id: "bad/model:free", behaviors: ["http_404"] }]);
  const env = { OPENROUTER_API_KEY: TEST_KEY, OPENROUTER_BASE_URL: fake.url };
  const noneOk = await runCli(["scan", "--fail-if-none-ok"], env, tmp.dir);
  assert.equal(noneOk.code, 3, noneOk.stderr);
  const viaEnv = await runCli(
    ["scan"],
    { ...env, OPENROUTER_SCOUT_FAIL_IF_NONE_OK: "true" },
    tmp.dir,
  );
  assert.equal(viaEnv.code, 3);
  const without = await runCli(["scan"], env, tmp.dir);
  assert.equal(without.code, 0);
});

Deno.test("--json when no scan can run (the database will not open): still one object, exit 1", async () => {
  await using tmp = await tempDir();
  await Deno.mkdir(`${tmp.dir}/a-directory.db`);
  const env = { OPENROUTER_API_KEY: TEST_KEY, OPENROUTER_BASE_URL: "http://127.0.0.1:9/api/v1" };
  for (const dbPath of ["a-directory.db", "/proc/scouter-nope/x.db"]) {
    const r = await runCli(["scan", "--json", "--db-path", dbPath], env, tmp.dir);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.equal(lines.length, 1, r.stdout);
    const payload = JSON.parse(lines[0]);
    assert.equal(payload.run_id, null);
    assert.equal(payload.status, "failed");
    assert.deepEqual(payload.results, []);
    assert.match(payload.error, /^cannot open the database: /);
    assert.ok(Date.parse(payload.started_at) <= Date.parse(payload.finished_at));
    assertOneLine(r.stderr, /error: cannot open the database: /);
    assert.doesNotMatch(r.stderr, /--allow-all/, "no Deno flag the task cannot take");
  }
});

Deno.test("--repeat-count runs several scans", async () => {
  await using tmp = await tempDir();
  await using fake = await fakeServer([{ id: "good/model:free" }]);
  const r = await runCli(["scan", "--json", "--repeat-count", "2"], {
    OPENROUTER_API_KEY: TEST_KEY,
    OPENROUTER_BASE_URL: fake.url,
  }, tmp.dir);
  assert.equal(r.code, 0, r.stderr);
  const runs = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(runs.length, 2);
  assert.notEqual(runs[0].run_id, runs[1].run_id);
});

Deno.test("kill -9 mid-scan: finished checks are kept, the run is interrupted at the next start", async () => {
  await using tmp = await tempDir();
  await using fake = await fakeServer(
    Array.from({ length: 20 }, (_, i) => ({ id: `slow/model-${i}:free`, delayMs: 200 })),
  );
  const env = {
    PATH: Deno.env.get("PATH") ?? "",
    OPENROUTER_API_KEY: TEST_KEY,
    OPENROUTER_BASE_URL: fake.url,
  };
  const child = cliCommand(
    ["scan", "--concurrency", "1", "--request-delay-seconds", "0"],
    env,
    tmp.dir,
  )
    .spawn();
  const dbPath = `${tmp.dir}/results/scouter.db`;
  let written = 0;
  for (let i = 0; i < 200 && written < 3; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      const store = await openStore({ path: dbPath });
      written = (await store.listChecks({})).length;
      store.close();
    } catch {
      // Not created yet.
    }
  }
  assert.ok(written >= 3, "the scan wrote checks before the kill");
  child.kill("SIGKILL");
  await child.output();

  // Right after the kill, its lease and heartbeat are fresh: it could be a live scan in
  // another process, so no second scan starts and its run is left alone. Once silent for
  // STALE_RUN_MS, its lease has expired and its run is interrupted.
  const soon = await runCli(["scan", "--max-models", "1"], env, tmp.dir);
  assert.equal(soon.code, 1, soon.stderr);
  assert.match(soon.stderr, /another scan is running on this database/);
  assert.doesNotMatch(soon.stderr, /interrupted/);
  await new Promise((r) => setTimeout(r, STALE_RUN_MS + 500));
  const again = await runCli(["scan", "--max-models", "1", "--json"], env, tmp.dir);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /marked 1 unfinished earlier run\(s\) as interrupted/);
  const store = await openStore({ path: dbPath });
  try {
    const first = (await store.listRuns(10)).at(-1)!;
    assert.equal(first.status, "interrupted");
    const kept = await store.listChecks({ runId: first.id });
    assert.ok(kept.length >= written, `${kept.length} checks kept of ${written} seen`);
    assert.equal(first.ok_count, kept.length);
    const integrity = await store.client.execute("PRAGMA integrity_check");
    assert.equal(integrity.rows[0][0], "ok");
  } finally {
    store.close();
  }
});

async function fakeServer(models: Parameters<typeof startFakeOpenRouter>[0]["models"]) {
  const fake = await startFakeOpenRouter({ models, apiKey: TEST_KEY });
  return Object.assign(fake, { [Symbol.asyncDispose]: () => fake.close() });
}
