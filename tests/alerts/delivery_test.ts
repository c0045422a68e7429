import assert from "node:assert/strict";
import {
  createDispatcher,
  outcomeOf,
  parseRetryAfter,
  retryDelay,
} from "../../lib/alerts/delivery.ts";
import { runAlertPass } from "../../lib/alerts/engine.ts";
import { createAlerts } from "../../lib/alerts/mod.ts";
import { webhookTargets } from "../../lib/config/webhooks.ts";
import { openStore } from "../../lib/db/open.ts";
import type { Store } from "../../lib/db/store.ts";
import { openTestStore, type SeedCheck, seedStore } from "../seed.ts";
import { startReceiver } from "./webhook_receiver.ts";

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 27, 8);
const RULES = { downAfter: 2, recoverAfter: 1, expiryDays: 7 };

const down = (id: string, start = T0): SeedCheck[] => [
  { model_id: id, checked_at: start, status: "timeout" },
  { model_id: id, checked_at: start + H, status: "unavailable" },
];

async function deliveries(store: Store) {
  const rs = await store.client.execute(
    "SELECT status, attempts, next_attempt_at, last_error FROM alert_deliveries ORDER BY id",
  );
  return rs.rows.map((r) => ({
    status: String(r.status),
    attempts: Number(r.attempts),
    next: Number(r.next_attempt_at),
    error: r.last_error === null ? null : String(r.last_error),
  }));
}

Deno.test("the four formats reach a receiver on loopback, once each", async () => {
  await using db = await openTestStore();
  const rx = startReceiver();
  const logs: string[] = [];
  try {
    const alerts = await createAlerts({
      store: db.store,
      rules: RULES,
      webhookUrls: ["json", "discord", "slack", "ntfy"].map((f) => `${f}+${rx.origin}/${f}`),
      log: (m) => logs.push(m),
      now: () => T0 + 3 * H,
    });
    await seedStore(db.store, {
      models: [{ id: "a/a:free", name: "Alpha" }],
      checks: down("a/a:free"),
    });
    alerts.afterScan();
    await alerts.settle();
    const byPath = Object.fromEntries(rx.requests.map((r) => [r.path, r]));
    assert.deepEqual(Object.keys(byPath).sort(), ["/discord", "/json", "/ntfy", "/slack"]);
    assert.equal(JSON.parse(byPath["/json"].body).event.kind, "model_down");
    assert.equal(JSON.parse(byPath["/discord"].body).embeds[0].title, "Alpha is down");
    assert.match(JSON.parse(byPath["/slack"].body).text, /^\*Alpha is down\*/);
    assert.equal(byPath["/ntfy"].headers.title, "Alpha is down");
    assert.match(byPath["/ntfy"].headers["content-type"], /^text\/plain/);
    assert.ok(logs.some((l) => l === "alert: Alpha is down (model_down)"), logs.join("\n"));
    assert.deepEqual((await deliveries(db.store)).map((d) => d.status), Array(4).fill("delivered"));

    alerts.afterScan();
    await alerts.settle();
    assert.equal(rx.requests.length, 4, "nothing is sent twice");
    await alerts.stop();
  } finally {
    await rx.close();
  }
});

Deno.test("retries with backoff (Retry-After honoured), then delivered; a 4xx is final", async () => {
  await using db = await openTestStore();
  const answers = [500, { status: 429, headers: { "Retry-After": "120" } }, 200];
  const rx = startReceiver((n) => answers[n] ?? 200);
  const gone = startReceiver(() => 404);
  const logs: string[] = [];
  let now = T0 + 3 * H;
  try {
    const urls = [`${rx.origin}/hook?token=SECRET1`, `${gone.origin}/hook?token=SECRET2`];
    const targets = await webhookTargets(urls);
    const dispatcher = createDispatcher({
      store: db.store,
      targets,
      log: (m) => logs.push(m),
      now: () => now,
      random: () => 0.5, // no jitter: the delays are exactly base × 3^(n−1)
    });
    await dispatcher.init();
    await seedStore(db.store, { checks: down("a/a:free") });
    await runAlertPass(db.store, RULES, now, "t");

    dispatcher.kick();
    await dispatcher.idle();
    let [ok, final] = await deliveries(db.store);
    assert.equal(rx.requests.length, 1);
    assert.deepEqual([ok.status, ok.attempts, ok.error], ["pending", 1, "HTTP 500"]);
    assert.equal(ok.next, now + 10_000, "first retry after 10 s");
    assert.deepEqual([final.status, final.attempts, final.error], ["failed", 1, "HTTP 404"]);

    dispatcher.kick(); // not due yet
    await dispatcher.idle();
    assert.equal(rx.requests.length, 1);

    now += 10_000;
    dispatcher.kick();
    await dispatcher.idle();
    [ok] = await deliveries(db.store);
    assert.equal(rx.requests.length, 2);
    assert.equal(ok.next, now + 120_000, "Retry-After (120 s) beats the 30 s backoff");

    now += 120_000;
    dispatcher.kick();
    await dispatcher.idle();
    [ok] = await deliveries(db.store);
    assert.deepEqual([ok.status, ok.attempts], ["delivered", 3]);
    assert.equal(rx.requests.length, 3);
    assert.equal(gone.requests.length, 1, "a 404 is not retried");
    assert.ok(logs.some((l) => /to json #2 not delivered: HTTP 404/.test(l)), logs.join("\n"));
    assert.ok(!logs.join("\n").includes("SECRET"), "no URL in the log");
    const stored = JSON.stringify(
      (await db.store.client.execute("SELECT * FROM alert_deliveries")).rows,
    );
    assert.ok(!stored.includes("SECRET") && !stored.includes("127.0.0.1"), "no URL in the outbox");
    await dispatcher.stop();
  } finally {
    await rx.close();
    await gone.close();
  }
});

Deno.test("gives up after maxAttempts", async () => {
  await using db = await openTestStore();
  const rx = startReceiver(() => 503);
  let now = T0 + 3 * H;
  try {
    const dispatcher = createDispatcher({
      store: db.store,
      targets: await webhookTargets([`${rx.origin}/x`]),
      log: () => {},
      now: () => now,
      maxAttempts: 3,
    });
    await dispatcher.init();
    await seedStore(db.store, { checks: down("a/a:free") });
    await runAlertPass(db.store, RULES, now, "t");
    for (let i = 0; i < 5; i++) {
      dispatcher.kick();
      await dispatcher.idle();
      now += H;
    }
    assert.equal(rx.requests.length, 3);
    assert.deepEqual((await deliveries(db.store)).map((d) => [d.status, d.attempts]), [[
      "failed",
      3,
    ]]);
  } finally {
    await rx.close();
  }
});

Deno.test("the outbox survives a restart: sent once, by the next process", async () => {
  await using db = await openTestStore();
  let up = false;
  const rx = startReceiver(() => (up ? 200 : 502));
  const url = `${rx.origin}/hook`;
  try {
    const first = await createAlerts({
      store: db.store,
      rules: RULES,
      webhookUrls: [url],
      log: () => {},
      now: () => T0 + 3 * H,
    });
    await seedStore(db.store, { checks: down("a/a:free") });
    first.afterScan();
    await first.settle();
    await first.stop();
    assert.equal(rx.requests.length, 1);

    up = true;
    const store2 = await openStore({ path: db.path });
    try {
      const second = await createAlerts({
        store: store2,
        rules: RULES,
        webhookUrls: [url],
        log: () => {},
        now: () => T0 + 4 * H,
      });
      second.start(); // the server's timer kicks at once
      await second.settle();
      second.afterScan(); // nothing new
      await second.settle();
      await second.stop();
      assert.equal(rx.requests.length, 2);
      assert.deepEqual((await deliveries(store2)).map((d) => d.status), ["delivered"]);
    } finally {
      store2.close();
    }
  } finally {
    await rx.close();
  }
});

Deno.test("a webhook added later does not get the old events", async () => {
  await using db = await openTestStore();
  const rx = startReceiver();
  try {
    await seedStore(db.store, { checks: down("old/a:free") });
    await runAlertPass(db.store, RULES, T0 + 3 * H, "t");
    const alerts = await createAlerts({
      store: db.store,
      rules: RULES,
      webhookUrls: [`${rx.origin}/new`],
      log: () => {},
      now: () => T0 + 3 * H,
    });
    alerts.start();
    await alerts.settle();
    assert.equal(rx.requests.length, 0);
    await seedStore(db.store, {
      models: [{ id: "old/a:free" }, { id: "new/b:free" }],
      checks: down("new/b:free", T0 + 2 * H),
    });
    alerts.afterScan();
    await alerts.settle();
    const sent = rx.requests.map((r) => JSON.parse(r.body).event);
    assert.deepEqual(sent.map((e) => [e.kind, e.model_id]).sort(), [
      ["model_added", "new/b:free"],
      ["model_down", "new/b:free"],
    ]);
    await alerts.stop();
  } finally {
    await rx.close();
  }
});

Deno.test("retry arithmetic", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelay(n, 10_000, 3_600_000, () => 0.5)), [
    10_000,
    30_000,
    90_000,
    270_000,
    810_000,
    2_430_000,
    3_600_000,
  ]);
  assert.equal(retryDelay(1, 10_000, 3_600_000, () => 0), 8_000, "−20 % jitter");
  assert.equal(retryDelay(1, 10_000, 3_600_000, () => 1), 12_000, "+20 % jitter");
  assert.equal(parseRetryAfter("30", 0), 30_000);
  assert.equal(parseRetryAfter(new Date(60_000).toUTCString(), 0), 60_000);
  assert.equal(parseRetryAfter("soon", 0), null);
  assert.deepEqual(outcomeOf(204, null, 0), { ok: true });
  assert.equal((outcomeOf(408, null, 0) as { retry: boolean }).retry, true);
  assert.equal((outcomeOf(410, null, 0) as { retry: boolean }).retry, false);
  assert.equal(
    (outcomeOf(302, null, 0) as { retry: boolean }).retry,
    false,
    "redirects are not followed",
  );
});
