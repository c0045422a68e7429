/**
 * `scan --capabilities --json` in a real process against the fake: health probes, then one
 * request per claimed capability (tools, json, vision), each model's verdicts in its result;
 * run again, the interval does not hold a forced round; without the flag, no capability request.
 */
import assert from "node:assert/strict";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { TEST_KEY } from "../scan/helpers.ts";
import { runCli } from "./run_cli.ts";

const MODELS = [
  {
    id: "all/three:free",
    supported_parameters: ["max_tokens", "tools", "response_format"],
    input_modalities: ["text", "image"],
    capabilities: { tools: "ok", json: "schema_mismatch", vision: "names_colour" } as const,
  },
  {
    id: "tools/prose:free",
    supported_parameters: ["max_tokens", "tools"],
    capabilities: { tools: "prose" } as const,
  },
  { id: "plain/text:free" },
];
const CLAIMS = 4;

Deno.test("scan --capabilities --json: health then one request per claim, verdicts per model", async () => {
  const dir = await Deno.makeTempDir({ prefix: "scouter-cli-cap-" });
  const fake = await startFakeOpenRouter({ models: MODELS, apiKey: TEST_KEY });
  try {
    const env = { OPENROUTER_API_KEY: TEST_KEY, OPENROUTER_BASE_URL: fake.url };
    const args = ["scan", "--json", "--capabilities", "--request-delay-seconds", "0"];
    const r = await runCli(args, env, dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(fake.chatRequests().length, MODELS.length + CLAIMS);
    assert.deepEqual(out.capability_round, {
      claimed: CLAIMS,
      due: CLAIMS,
      sent: CLAIMS,
      waiting: 0,
    });
    const by = Object.fromEntries(
      (out.results as { model_id: string; capabilities?: Record<string, unknown> }[]).map((
        x,
      ) => [x.model_id, x.capabilities]),
    );
    const three = by["all/three:free"] as Record<
      string,
      { verified: boolean; detail: string | null }
    >;
    assert.deepEqual(
      Object.fromEntries(Object.entries(three).map(([k, v]) => [k, [v.verified, v.detail]])),
      {
        tools: [true, null],
        json: [false, "does not match the schema: capital"],
        vision: [true, null],
      },
    );
    assert.deepEqual(
      (by["tools/prose:free"] as Record<string, { verified: boolean; detail: string }>).tools,
      {
        verified: false,
        detail: "answered in prose",
        category: null,
        fault: null,
        checked_at: (by["tools/prose:free"] as Record<string, { checked_at: string }>).tools
          .checked_at,
        sent: true,
        changed: false,
      },
    );
    assert.deepEqual(by["plain/text:free"], {});
    assert.ok(!r.stdout.includes(TEST_KEY) && !r.stderr.includes(TEST_KEY));
    assert.match(r.stderr, /capability checks: 4 sent of 4 due \(4 claimed\)/);

    // Forced again within the interval: the same four requests.
    const again = await runCli(args, env, dir);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(fake.chatRequests().length, 2 * (MODELS.length + CLAIMS));

    // A plain scan sends no capability request and prints no capability fields.
    const plain = await runCli(["scan", "--json", "--request-delay-seconds", "0"], env, dir);
    assert.equal(fake.chatRequests().length, 2 * (MODELS.length + CLAIMS) + MODELS.length);
    const plainOut = JSON.parse(plain.stdout);
    assert.equal("capability_round" in plainOut, false);
    assert.equal("capabilities" in plainOut.results[0], false);
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("OPENROUTER_SCOUT_CAPABILITY_INTERVAL_HOURS is validated", async () => {
  const dir = await Deno.makeTempDir({ prefix: "scouter-cli-cap-" });
  try {
    const r = await runCli(["scan"], {
      OPENROUTER_API_KEY: TEST_KEY,
      OPENROUTER_SCOUT_CAPABILITY_INTERVAL_HOURS: "soon",
    }, dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /OPENROUTER_SCOUT_CAPABILITY_INTERVAL_HOURS must be a number/);
    assert.ok(!/\bat .*\.ts:\d+/.test(r.stderr), "no stack trace");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
