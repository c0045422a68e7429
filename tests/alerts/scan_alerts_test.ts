/** Alerts wired to real scans: the scheduler's onScanEnd, and `deno task scan` in a subprocess. */
import assert from "node:assert/strict";
import { createAlerts } from "../../lib/alerts/mod.ts";
import { listAlertEvents } from "../../lib/db/alert_events.ts";
import { openStore } from "../../lib/db/open.ts";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import type { CronRegister } from "../../lib/schedule/cron.ts";
import { createScheduler } from "../../lib/schedule/scheduler.ts";
import { runCli } from "../cli/run_cli.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { FAST_SETTINGS, TEST_KEY } from "../scan/helpers.ts";
import { startReceiver } from "./webhook_receiver.ts";

const idleCron: CronRegister = (_n, _s, options) =>
  new Promise((resolve) => options.signal?.addEventListener("abort", () => resolve()));

Deno.test("a webhook that never answers never slows a scan", async () => {
  const fake = await startFakeOpenRouter({
    models: [{ id: "flaky/a:free", behaviors: ["http_502"] }, { id: "fine/b:free" }],
    apiKey: TEST_KEY,
  });
  const dir = await Deno.makeTempDir({ prefix: "scouter-alerts-scan-" });
  const store = await openStore({ path: `${dir}/s.db` });
  const rx = startReceiver(() => "hang");
  let released = false;
  try {
    const alerts = await createAlerts({
      store,
      rules: { downAfter: 1, recoverAfter: 1, expiryDays: 7 },
      webhookUrls: [`${rx.origin}/hook`],
      log: () => {},
    });
    const scheduler = createScheduler({
      store,
      openrouter: createOpenRouterClient({ baseUrl: fake.url, apiKey: TEST_KEY }),
      settings: { ...FAST_SETTINGS, maxRetries: 0 },
      timing: { kind: "interval", everyMs: 3_600_000 },
      scanOnStart: true,
      log: () => {},
      cron: idleCron,
      onScanEnd: () => alerts.afterScan(),
    });
    await scheduler.start();
    await scheduler.idle();
    await rx.waitFor(1); // the alert is at the webhook, which holds it
    // Another scan starts and ends while the webhook still holds the first alert.
    assert.equal(await scheduler.requestScan(), "started");
    await scheduler.idle();
    const runs = await store.listRuns(10);
    assert.deepEqual(runs.map((r) => r.status), ["completed", "completed"]);
    assert.equal(released, false);
    const [event] = await listAlertEvents(store.client);
    assert.deepEqual([event.kind, event.model_id], ["model_down", "flaky/a:free"]);

    released = true;
    rx.release();
    await alerts.settle();
    const rs = await store.client.execute("SELECT status FROM alert_deliveries");
    assert.deepEqual(rs.rows.map((r) => r.status), ["delivered"]);
    await alerts.stop();
    await scheduler.stop();
  } finally {
    rx.release();
    await rx.close();
    store.close();
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task scan records alert events and sends them before it exits", async () => {
  const fake = await startFakeOpenRouter({
    models: [{ id: "broken/a:free", behaviors: ["http_404"] }, { id: "fine/b:free" }],
    apiKey: TEST_KEY,
  });
  const dir = await Deno.makeTempDir({ prefix: "scouter-alerts-cli-" });
  const rx = startReceiver();
  const token = "T0KEN-in-the-webhook-url";
  try {
    const r = await runCli(["scan", "--request-delay-seconds", "0"], {
      OPENROUTER_API_KEY: TEST_KEY,
      OPENROUTER_BASE_URL: fake.url,
      OPENROUTER_SCOUT_WEBHOOK_URLS: `slack+${rx.origin}/services/${token}`,
      OPENROUTER_SCOUT_ALERT_DOWN_AFTER: "1",
    }, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(rx.requests.length, 1, r.stderr);
    assert.equal(
      JSON.parse(rx.requests[0].body).text,
      "*Fake: broken/a (free) is down*\nbroken/a:free failed 1 check in a row (not_found). " +
        "Scouter will say when it answers again.",
    );
    assert.match(r.stderr, /alert: Fake: broken\/a \(free\) is down \(model_down\)/);
    assert.ok(!r.stderr.includes(token) && !r.stdout.includes(token), "the URL is a secret");
    // OpenRouter's own stats were read too, without a chat request.
    assert.equal(fake.chatRequests().length, 2);
    const store = await openStore({ path: `${dir}/results/scouter.db` });
    try {
      const rs = await store.client.execute("SELECT COUNT(*) AS n FROM endpoint_fetches");
      assert.equal(Number(rs.rows[0].n), 2);
    } finally {
      store.close();
    }

    const bad = await runCli(["scan"], {
      OPENROUTER_API_KEY: TEST_KEY,
      OPENROUTER_BASE_URL: fake.url,
      OPENROUTER_SCOUT_WEBHOOK_URLS: `https://ok.example/x,mailto:${token}@example.org`,
    }, dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /OPENROUTER_SCOUT_WEBHOOK_URLS entry 2 is not an http\(s\) URL/);
    assert.ok(!bad.stderr.includes(token), "a bad value is not echoed: it may hold a token");
  } finally {
    await rx.close();
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
