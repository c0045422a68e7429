/** OPENROUTER_SCOUT_TRAFFIC_FRESH_MINUTES, OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE and scan --model. */
import assert from "node:assert/strict";
import { ConfigError } from "../../lib/config/errors.ts";
import { parseFlags, SCAN_FLAGS } from "../../lib/config/flags.ts";
import { resolveConfig } from "../../lib/config/settings.ts";
import { scanSettingsOf } from "../../lib/scan/settings.ts";

const TOKEN = "router-token-0123456789abcdef";

Deno.test("defaults: freshness from the interval, a share of 0.25 only with the router on", () => {
  const c = resolveConfig({});
  assert.equal(c.trafficFreshMinutes, null);
  assert.equal(c.routerTrafficShare, 0.25);
  assert.equal(scanSettingsOf(c).trafficFreshMinutes, 60);
  assert.equal(scanSettingsOf(c).trafficShare, 0, "no router: nothing kept for traffic");
  const routed = resolveConfig({ OPENROUTER_SCOUT_ROUTER_TOKEN: TOKEN });
  assert.equal(scanSettingsOf(routed).trafficShare, 0.25);
  const half = resolveConfig({ OPENROUTER_SCOUT_INTERVAL_HOURS: "0.5" });
  assert.equal(scanSettingsOf(half).trafficFreshMinutes, 30);
});

Deno.test("given values are read; 0 always probes", () => {
  const c = resolveConfig({
    OPENROUTER_SCOUT_TRAFFIC_FRESH_MINUTES: "0",
    OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE: "0.5",
    OPENROUTER_SCOUT_ROUTER_TOKEN: TOKEN,
  });
  assert.equal(scanSettingsOf(c).trafficFreshMinutes, 0);
  assert.equal(scanSettingsOf(c).trafficShare, 0.5);
});

Deno.test("bad values are a ConfigError naming the variable and the value", () => {
  const bad: [string, string, RegExp][] = [
    ["OPENROUTER_SCOUT_TRAFFIC_FRESH_MINUTES", "-5", /must be a whole number \(got "-5"\)/],
    ["OPENROUTER_SCOUT_TRAFFIC_FRESH_MINUTES", "ten", /must be a whole number/],
    ["OPENROUTER_SCOUT_TRAFFIC_FRESH_MINUTES", "99999999", /must be at most 44640/],
    ["OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE", "0.95", /must be at most 0.9 \(got "0.95"\)/],
    ["OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE", "25%", /must be a number/],
  ];
  for (const [name, value, message] of bad) {
    assert.throws(
      () => resolveConfig({ [name]: value }),
      (err: unknown) =>
        err instanceof ConfigError && err.message.startsWith(name) && message.test(err.message),
      `${name}=${value}`,
    );
  }
});

Deno.test("scan --model takes exact ids, several words or commas; none is an error", () => {
  assert.deepEqual(parseFlags(["--model", "a/x:free", "b/y:free", "--json"], SCAN_FLAGS).models, [
    "a/x:free",
    "b/y:free",
  ]);
  assert.deepEqual(parseFlags(["--model=a/x:free,c/z:free"], SCAN_FLAGS).models, [
    "a/x:free",
    "c/z:free",
  ]);
  assert.deepEqual(parseFlags([], SCAN_FLAGS).models, []);
  assert.throws(() => parseFlags(["--model", ","], SCAN_FLAGS), ConfigError);
  assert.throws(() => parseFlags(["--model"], SCAN_FLAGS), /--model needs a value/);
});
