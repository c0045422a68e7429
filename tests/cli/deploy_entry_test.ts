/**
 * deploy.ts, the Deno Deploy entry, as far as this machine can play Deploy: a remote libSQL
 * database (tests/fake_libsql.ts speaks Hrana over HTTP), the fake OpenRouter, and a process
 * that may not write a single file nor load a native library (no --allow-write, no
 * --allow-ffi): the remote path needs neither, so any attempt fails the test.
 */
import assert from "node:assert/strict";
import { ensureAssets } from "../../lib/web/build.ts";
import { startFakeLibsql } from "../fake_libsql.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { TEST_KEY } from "../scan/helpers.ts";
import {
  listTree,
  type ServerProcess,
  START_PERMISSIONS,
  startServer,
  waitFor,
} from "./server_process.ts";

const DB_TOKEN = "db-token-5f1e2d3c4b5a69788796a5b4";
const ADMIN = "admin-token-0a1b2c3d4e5f";
const READ_ONLY = START_PERMISSIONS.filter((p) => p !== "--allow-write" && p !== "--allow-ffi");

Deno.test("deploy.ts: serves and scans on a remote database, writing nothing, loading no native code", async () => {
  await ensureAssets();
  await using remote = await startFakeLibsql({ token: DB_TOKEN });
  const fake = await startFakeOpenRouter({
    models: [{ id: "acme/one:free" }, { id: "acme/two:free", behaviors: ["http_503"] }],
    apiKey: TEST_KEY,
  });
  const dir = await Deno.makeTempDir({ prefix: "scouter-deploy-" });
  assert.ok(!START_PERMISSIONS.every((p) => READ_ONLY.includes(p)), "write and ffi were taken");
  let server: ServerProcess | null = null;
  try {
    server = await startServer({
      entry: "deploy.ts",
      cwd: dir,
      permissions: READ_ONLY,
      env: {
        OPENROUTER_API_KEY: TEST_KEY,
        OPENROUTER_BASE_URL: fake.url,
        OPENROUTER_SCOUT_DATABASE_URL: remote.url,
        OPENROUTER_SCOUT_DATABASE_AUTH_TOKEN: DB_TOKEN,
        OPENROUTER_SCOUT_ADMIN_TOKEN: ADMIN,
        OPENROUTER_SCOUT_REGION: "test-fra",
        OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS: "0",
        OPENROUTER_SCOUT_MAX_RETRIES: "0",
        // Set so on Deploy: the scan at start would run on every cold start there; and
        // deploy.ts must not scan at start whatever this says.
        OPENROUTER_SCOUT_SCAN_ON_START: "true",
      },
    });
    const base = server.base;
    const first = await (await fetch(`${base}/api/summary`)).json();
    assert.equal(first.last_run, null, "no scan at start on Deploy");
    assert.equal(first.scanning.enabled, true);

    const started = await fetch(`${base}/api/scan`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN}` },
    });
    assert.equal(started.status, 202);
    await started.body?.cancel();
    const summary = await waitFor("the scan", async () => {
      const s = await (await fetch(`${base}/api/summary`)).json();
      return s.last_run?.status === "completed" ? s : null;
    });
    assert.equal(summary.total_models, 2);
    assert.equal(summary.down_count, 1);

    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    const css = /href="(\/static\/build\/[^"]+\.css)"/.exec(await page.text())?.[1];
    assert.ok(css);
    const sheet = await fetch(`${base}${css}`);
    assert.equal(sheet.status, 200);
    await sheet.body?.cancel();

    const regions = remote.db.prepare(
      "SELECT (SELECT region FROM runs) AS run, COUNT(*) AS n, MIN(region) AS lo, MAX(region) AS hi FROM checks",
    ).get();
    assert.equal(Number(regions?.n), 2);
    assert.equal(regions?.run, "test-fra");
    assert.equal(regions?.lo, "test-fra");
    assert.equal(regions?.hi, "test-fra");
    assert.ok(remote.authHeaders.every((h) => h === `Bearer ${DB_TOKEN}`));
  } finally {
    const stopped = server ? await server.stop() : null;
    await fake.close();
    const tree = await listTree(dir);
    await Deno.remove(dir, { recursive: true });
    assert.deepEqual(tree, [], "the working directory stays empty");
    if (stopped) {
      assert.equal(stopped.code, 0, stopped.output);
      for (const secret of [DB_TOKEN, ADMIN, TEST_KEY]) {
        assert.ok(!stopped.output.includes(secret), "no secret in the logs");
      }
      assert.doesNotMatch(stopped.output, /NotCapable|Requires (write|ffi) access/);
    }
  }
});

Deno.test("deploy.ts: an unreachable database stops it with one line, never the token", async () => {
  const dir = await Deno.makeTempDir({ prefix: "scouter-deploy-" });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = (listener.addr as Deno.NetAddr).port;
  listener.close();
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        ...READ_ONLY,
        new URL("../../deploy.ts", import.meta.url).pathname,
      ],
      cwd: dir,
      clearEnv: true,
      env: {
        NO_COLOR: "1",
        OPENROUTER_SCOUT_DATABASE_URL: `libsql://127.0.0.1:${closedPort}?tls=0`,
        OPENROUTER_SCOUT_DATABASE_AUTH_TOKEN: DB_TOKEN,
        OPENROUTER_SCOUT_WEB_HOST: "127.0.0.1",
        OPENROUTER_SCOUT_WEB_PORT: "0",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 1, text);
    assert.match(text, /cannot open the database/);
    assert.ok(!text.includes(DB_TOKEN));
    assert.doesNotMatch(text, /\n\s+at /, "no stack trace");
    assert.deepEqual(await listTree(dir), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
