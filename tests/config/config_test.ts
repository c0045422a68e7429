import assert from "node:assert/strict";
import { ConfigError } from "../../lib/config/errors.ts";
import { parseFlags, SCAN_FLAGS, SERVE_FLAGS } from "../../lib/config/flags.ts";
import { loadConfig } from "../../lib/config/load.ts";
import { mergeEnv } from "../../lib/config/env.ts";
import { resolveConfig } from "../../lib/config/settings.ts";

Deno.test("defaults follow the CONTRACT", () => {
  const c = resolveConfig({});
  assert.equal(c.apiKey, null);
  assert.equal(c.baseUrl, "https://openrouter.ai/api/v1");
  assert.equal(c.timeoutSeconds, 20);
  assert.equal(c.maxRetries, 2);
  assert.equal(c.concurrency, 2);
  assert.equal(c.requestDelaySeconds, 0.3);
  assert.equal(c.maxModels, null);
  assert.deepEqual(c.modelIdContains, []);
  assert.equal(c.prompt, "Respond with the exact text: OK");
  assert.equal(c.dbPath, "results/scouter.db");
  assert.equal(c.intervalHours, 1);
  assert.equal(c.scanOnStart, true);
  assert.equal(c.rpm, 20);
  assert.equal(c.webHost, "0.0.0.0");
  assert.equal(c.webPort, 8000);
  assert.equal(c.repeatCount, 1);
  assert.equal(c.repeatIntervalMinutes, 0);
  assert.equal(c.failIfNoneOk, false);
});

Deno.test("flags win over the environment, which wins over .env", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const envFile = `${dir}/.env`;
    await Deno.writeTextFile(
      envFile,
      [
        "OPENROUTER_API_KEY=from-file",
        "OPENROUTER_SCOUT_CONCURRENCY=3",
        "OPENROUTER_SCOUT_MAX_RETRIES=4",
        "OPENROUTER_SCOUT_TIMEOUT_SECONDS=7",
        "OPENROUTER_SCOUT_MODEL_ID_CONTAINS=llama, qwen",
      ].join("\n"),
    );
    const config = await loadConfig({
      envFile,
      flags: parseFlags(["--concurrency", "5"], SCAN_FLAGS).values,
      processEnv: {
        OPENROUTER_SCOUT_CONCURRENCY: "4",
        OPENROUTER_SCOUT_MAX_RETRIES: "1",
        // An empty process variable must not shadow the file's value.
        OPENROUTER_SCOUT_TIMEOUT_SECONDS: "",
      },
    });
    assert.equal(config.apiKey, "from-file");
    assert.equal(config.concurrency, 5, "flag beats env and file");
    assert.equal(config.maxRetries, 1, "env beats file");
    assert.equal(config.timeoutSeconds, 7, "empty env does not shadow the file");
    assert.deepEqual(config.modelIdContains, ["llama", "qwen"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mergeEnv ignores empty process values", () => {
  assert.deepEqual(mergeEnv({ A: "1", B: "2" }, { A: "", B: "3", C: "4" }), {
    A: "1",
    B: "3",
    C: "4",
  });
});

Deno.test("a named env file that is missing is a ConfigError; the default one is optional", async () => {
  await assert.rejects(
    loadConfig({ envFile: "/nonexistent/scouter.env", processEnv: {} }),
    (err: unknown) => err instanceof ConfigError && /env file not found/.test(err.message),
  );
  const config = await loadConfig({ processEnv: { OPENROUTER_SCOUT_RPM: "7" } });
  assert.equal(config.rpm, 7);
});

Deno.test("bad values name their source in one line", () => {
  const cases: [Record<string, string>, Record<string, string>, RegExp][] = [
    [
      { OPENROUTER_SCOUT_CONCURRENCY: "abc" },
      {},
      /^OPENROUTER_SCOUT_CONCURRENCY must be a whole number/,
    ],
    [{}, { concurrency: "0" }, /^--concurrency must be at least 1/],
    [
      { OPENROUTER_SCOUT_TIMEOUT_SECONDS: "-1" },
      {},
      /^OPENROUTER_SCOUT_TIMEOUT_SECONDS must be a number/,
    ],
    [{ OPENROUTER_BASE_URL: "ftp://x" }, {}, /^OPENROUTER_BASE_URL must be an http\(s\) URL/],
    [{ OPENROUTER_SCOUT_SCAN_ON_START: "maybe" }, {}, /must be true or false/],
    [{ OPENROUTER_SCOUT_WEB_PORT: "70000" }, {}, /must be at most 65535/],
    [{ OPENROUTER_SCOUT_DATABASE_URL: "postgres://x" }, {}, /must be a file:/],
    [{ OPENROUTER_SCOUT_CRON: "every hour" }, {}, /cron expression/],
    [{ OPENROUTER_SCOUT_CRON: "61 * * * *" }, {}, /not a valid cron expression: .*minute/],
  ];
  for (const [env, flags, pattern] of cases) {
    assert.throws(() => resolveConfig(env, flags), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, pattern);
      assert.ok(!err.message.includes("\n"));
      return true;
    });
  }
});

Deno.test("bad values of secrets are not echoed", () => {
  assert.throws(
    () => resolveConfig({ OPENROUTER_SCOUT_ADMIN_TOKEN: "   " }, { adminToken: "   " }),
    (err: unknown) => err instanceof ConfigError && !err.message.includes("got"),
  );
});

Deno.test("scan flags: every CONTRACT flag parses", () => {
  const parsed = parseFlags([
    "--env-file",
    "x.env",
    "--timeout-seconds",
    "5",
    "--max-retries=1",
    "--concurrency",
    "3",
    "--max-models",
    "10",
    "--model-id-contains",
    "llama",
    "Qwen",
    "--request-delay-seconds",
    "0.5",
    "--repeat-count",
    "2",
    "--repeat-interval-minutes",
    "1.5",
    "--healthcheck-prompt",
    "Say: OK",
    "--db-path",
    "/tmp/x.db",
    "--fail-if-none-ok",
    "--json",
  ], SCAN_FLAGS);
  assert.equal(parsed.envFile, "x.env");
  assert.equal(parsed.json, true);
  const c = resolveConfig({}, parsed.values);
  assert.equal(c.timeoutSeconds, 5);
  assert.equal(c.maxRetries, 1);
  assert.equal(c.concurrency, 3);
  assert.equal(c.maxModels, 10);
  assert.deepEqual(c.modelIdContains, ["llama", "Qwen"]);
  assert.equal(c.requestDelaySeconds, 0.5);
  assert.equal(c.repeatCount, 2);
  assert.equal(c.repeatIntervalMinutes, 1.5);
  assert.equal(c.prompt, "Say: OK");
  assert.equal(c.dbPath, "/tmp/x.db");
  assert.equal(c.failIfNoneOk, true);
});

Deno.test("flag errors are one-line ConfigErrors", () => {
  const cases: [string[], RegExp][] = [
    [["--bogus"], /^unknown flag --bogus$/],
    [["--concurrency"], /^--concurrency needs a value$/],
    [
      ["--max-retries", "-1"],
      /^--max-retries needs a value \(one that starts with "-" is written --max-retries=-1\)$/,
    ],
    [["--json=1"], /^--json takes no value$/],
    [["--fail-if-none-ok=yes"], /^--fail-if-none-ok takes no value$/],
    [["stray"], /^unexpected argument "stray"$/],
    [["--port", "1"], /unknown flag --port/],
  ];
  for (const [args, pattern] of cases) {
    assert.throws(() => parseFlags(args, SCAN_FLAGS), (err: unknown) => {
      assert.ok(err instanceof ConfigError, String(err));
      assert.match(err.message, pattern);
      return true;
    });
  }
  const serve = parseFlags(["--host", "127.0.0.1", "--port", "9000"], SERVE_FLAGS);
  assert.deepEqual(serve.values, { webHost: "127.0.0.1", webPort: "9000" });
});
