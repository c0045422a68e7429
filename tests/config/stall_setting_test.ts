import assert from "node:assert/strict";
import { ConfigError } from "../../lib/config/errors.ts";
import { parseFlags, SCAN_FLAGS } from "../../lib/config/flags.ts";
import { resolveConfig } from "../../lib/config/settings.ts";

Deno.test("stall: 10 s by default, never more than the timeout", () => {
  assert.equal(resolveConfig({}).stallSeconds, 10);
  assert.equal(resolveConfig({ OPENROUTER_SCOUT_TIMEOUT_SECONDS: "4" }).stallSeconds, 4);
  assert.equal(resolveConfig({ OPENROUTER_SCOUT_STALL_SECONDS: "2.5" }).stallSeconds, 2.5);
});

Deno.test("stall: --stall-seconds wins over the environment", () => {
  const flags = parseFlags(["--stall-seconds", "3"], SCAN_FLAGS).values;
  assert.equal(resolveConfig({ OPENROUTER_SCOUT_STALL_SECONDS: "7" }, flags).stallSeconds, 3);
});

Deno.test("stall: a bad or too long value is a one-line error naming its source", () => {
  const cases: [Record<string, string>, string[], RegExp][] = [
    [
      { OPENROUTER_SCOUT_STALL_SECONDS: "soon" },
      [],
      /^OPENROUTER_SCOUT_STALL_SECONDS must be a number/,
    ],
    [{ OPENROUTER_SCOUT_STALL_SECONDS: "0" }, [], /must be at least 0.1/],
    [
      { OPENROUTER_SCOUT_STALL_SECONDS: "30" },
      [],
      /^OPENROUTER_SCOUT_STALL_SECONDS must not exceed the timeout \(20 s/,
    ],
    [{}, ["--stall-seconds", "9", "--timeout-seconds", "5"], /^--stall-seconds must not exceed/],
  ];
  for (const [env, argv, message] of cases) {
    const flags = parseFlags(argv, SCAN_FLAGS).values;
    assert.throws(() => resolveConfig(env, flags), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, message);
      assert.ok(!err.message.includes("\n"));
      return true;
    });
  }
});
