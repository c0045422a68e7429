import assert from "node:assert/strict";
import { alertRulesOf, DEFAULT_ALERT_RULES } from "../../lib/domain/alerts.ts";
import { ConfigError } from "../../lib/config/errors.ts";
import { resolveConfig } from "../../lib/config/settings.ts";

Deno.test("alert and planner settings: defaults, values, one-line errors without the secret", () => {
  const defaults = resolveConfig({});
  assert.deepEqual(defaults.webhookUrls, []);
  assert.deepEqual(alertRulesOf(defaults), DEFAULT_ALERT_RULES);
  assert.equal(defaults.spreadChecks, false);

  const c = resolveConfig({
    OPENROUTER_SCOUT_WEBHOOK_URLS:
      " https://hooks.slack.com/services/T/B/x , ntfy+https://n.example/t,",
    OPENROUTER_SCOUT_ALERT_DOWN_AFTER: "5",
    OPENROUTER_SCOUT_ALERT_RECOVER_AFTER: "1",
    OPENROUTER_SCOUT_ALERT_EXPIRY_DAYS: "0",
    OPENROUTER_SCOUT_SPREAD_CHECKS: "yes",
  });
  assert.deepEqual(c.webhookUrls, [
    "https://hooks.slack.com/services/T/B/x",
    "ntfy+https://n.example/t",
  ]);
  assert.deepEqual(alertRulesOf(c), { downAfter: 5, recoverAfter: 1, expiryDays: 0 });
  assert.equal(c.spreadChecks, true);

  const secret = "https://discord.com/api/webhooks/1/SECRET";
  assert.throws(
    () => resolveConfig({ OPENROUTER_SCOUT_WEBHOOK_URLS: `${secret},ftp://SECRET2` }),
    (err) =>
      err instanceof ConfigError &&
      /^OPENROUTER_SCOUT_WEBHOOK_URLS entry 2 is not an http\(s\) URL/.test(err.message) &&
      !err.message.includes("SECRET"),
  );
  assert.throws(
    () => resolveConfig({ OPENROUTER_SCOUT_ALERT_DOWN_AFTER: "0" }),
    /OPENROUTER_SCOUT_ALERT_DOWN_AFTER must be at least 1/,
  );
  assert.throws(
    () => resolveConfig({ OPENROUTER_SCOUT_SPREAD_CHECKS: "sometimes" }),
    /must be true or false/,
  );
});
