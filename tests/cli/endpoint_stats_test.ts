/** `deno task scan` and OpenRouter's endpoint stats: read after the result, never before it. */
import assert from "node:assert/strict";
import { ENDPOINT_STATS_GRACE_MS } from "../../lib/cli/scan_command.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { TEST_KEY } from "../scan/helpers.ts";
import { cliCommand, runCli } from "./run_cli.ts";

const MODELS = Array.from({ length: 5 }, (_, i) => ({ id: `a/model-${i}:free` }));

async function world(endpointsDelayMs = 0) {
  const fake = await startFakeOpenRouter({ models: MODELS, apiKey: TEST_KEY, endpointsDelayMs });
  const dir = await Deno.makeTempDir({ prefix: "scouter-cli-stats-" });
  return {
    fake,
    dir,
    env: { OPENROUTER_API_KEY: TEST_KEY, OPENROUTER_BASE_URL: fake.url },
    endpointCalls: () => fake.requests.filter((r) => r.path.endsWith("/endpoints")).length,
    async [Symbol.asyncDispose]() {
      await fake.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("a slow stats server (5 s a reply) holds up neither the --json result nor the exit", async () => {
  await using w = await world(5_000);
  const child = cliCommand(
    ["scan", "--json", "--request-delay-seconds", "0", "--concurrency", "5"],
    { PATH: Deno.env.get("PATH") ?? "", ...w.env },
    w.dir,
  ).spawn();
  const started = performance.now();
  let jsonAt = 0;
  let stdout = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    stdout += decoder.decode(chunk, { stream: true });
    if (jsonAt === 0 && stdout.includes("\n")) jsonAt = performance.now();
  }
  const stderr = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
  const { code } = await child.status;
  const exitedAt = performance.now();

  assert.equal(code, 0, stderr);
  const out = JSON.parse(stdout);
  assert.equal(out.status, "completed");
  assert.equal(out.results.length, 5);
  const firstStatsCall = w.fake.requests.find((r) => r.path.endsWith("/endpoints"));
  assert.ok(firstStatsCall, "the stats were asked for after the result");
  assert.ok(
    exitedAt - jsonAt < ENDPOINT_STATS_GRACE_MS + 1_500,
    `exited ${Math.round(exitedAt - jsonAt)} ms after the result, not after 5 s replies`,
  );
  assert.ok(exitedAt - started < 5_000 + 4_000, "the whole command did not wait for them");
  assert.match(stderr, /endpoint stats: 0 of 5 due model\(s\) read, 5 left for the next time/);
});

Deno.test("stats are read once per interval: the second of two scans asks for none", async () => {
  await using w = await world();
  const r = await runCli(["scan", "--json", "--repeat-count", "2"], w.env, w.dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split("\n").length, 2);
  assert.equal(w.endpointCalls(), 5, "one read per model over both scans");
  const again = await runCli(["scan", "--json"], w.env, w.dir);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(w.endpointCalls(), 5, "a later scan within the hour reads none");
});

Deno.test("OPENROUTER_SCOUT_ENDPOINT_STATS_INTERVAL_HOURS=0: never read; a bad value is one line", async () => {
  await using w = await world();
  const off = { ...w.env, OPENROUTER_SCOUT_ENDPOINT_STATS_INTERVAL_HOURS: "0" };
  const r = await runCli(["scan", "--json"], off, w.dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).results.length, 5);
  assert.equal(w.endpointCalls(), 0);

  const bad = await runCli(["scan"], {
    ...w.env,
    OPENROUTER_SCOUT_ENDPOINT_STATS_INTERVAL_HOURS: "soon",
  }, w.dir);
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr.trim(),
    /^[^\n]*OPENROUTER_SCOUT_ENDPOINT_STATS_INTERVAL_HOURS must be a number \(got "soon"\)$/,
  );
});
