/**
 * POST /api/scan, the one endpoint that acts: off without an admin token, rate-limited per
 * client and overall (before the token is looked at), bodies capped, 409 while a scan runs,
 * and the token compared in full whatever it holds.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { Hono } from "hono";
import type { AppDeps } from "../../lib/web/deps.ts";
import type { ScanRequestResult } from "../../lib/scan/status.ts";
import { clientKey, createRateLimiter } from "../../lib/web/rate_limit.ts";
import { tokensMatch } from "../../routes/api/auth.ts";
import { createApi } from "../../routes/api/mod.ts";
import { SCAN_BODY_LIMIT, SCAN_CLIENT_LIMIT, SCAN_GLOBAL_LIMIT } from "../../routes/api/scan.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { fakeScanner, IDLE, NOW } from "../routes/pages_helpers.ts";
import { TEST_KEY } from "../scan/helpers.ts";
import { openTestStore } from "../seed.ts";
import { ADMIN_TOKEN, appWorld } from "./app_world.ts";

Deno.test("token buckets: a burst, then the refill rate; per key; bounded memory", () => {
  let now = 0;
  const limiter = createRateLimiter({ capacity: 3, perMinute: 6, now: () => now, maxKeys: 100 });
  assert.deepEqual([1, 2, 3].map(() => limiter.take("a").ok), [true, true, true]);
  assert.deepEqual(limiter.take("a"), { ok: false, retryAfterSeconds: 10 });
  assert.equal(limiter.take("b").ok, true, "another key has its own bucket");
  now += 9_000;
  assert.deepEqual(limiter.take("a"), { ok: false, retryAfterSeconds: 1 });
  now += 1_000;
  assert.equal(limiter.take("a").ok, true, "one token back after 10 s");
  assert.equal(limiter.take("a").ok, false);
  now += 10 * 60_000;
  assert.deepEqual([1, 2, 3, 4].map(() => limiter.take("a").ok), [true, true, true, false]);

  for (let i = 0; i < 5000; i++) limiter.take(`flood-${i}`);
  assert.ok(limiter.size <= 100, `${limiter.size} keys remembered`);
});

Deno.test("client keys: IPv4 as is, IPv6 by its /64", () => {
  assert.equal(clientKey("203.0.113.7"), "203.0.113.7");
  assert.equal(clientKey("::ffff:203.0.113.7"), "203.0.113.7");
  assert.equal(clientKey(null), "unknown");
  const a = clientKey("2001:db8:1:2:aaaa::1");
  assert.equal(a, "2001:db8:1:2::/64");
  assert.equal(clientKey("2001:0db8:0001:0002:ffff:ffff:ffff:ffff"), a);
  assert.equal(clientKey("2001:db8:1:2::"), a);
  assert.notEqual(clientKey("2001:db8:1:3::1"), a);
  assert.equal(clientKey("::1"), "0:0:0:0::/64");
  assert.equal(clientKey("fe80::1%eth0"), "fe80:0:0:0::/64");
});

Deno.test("the token comparison: equal exactly when the strings are", async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: "grapheme" }), fc.string(), async (a, b) => {
      assert.equal(await tokensMatch(a, b), a === b);
      assert.equal(await tokensMatch(a, a), true);
      assert.equal(await tokensMatch(`${a}x`, a), false);
    }),
    { numRuns: 200 },
  );
});

interface Api {
  post(client: string, init?: RequestInit): Promise<Response>;
  scans(): number;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The API as mounted in the app, with a scanner that says `result`; `client` is the peer. */
async function api(
  adminToken: string | null,
  result: ScanRequestResult = "started",
): Promise<Api> {
  const db = await openTestStore({ memory: true });
  let scans = 0;
  const deps: AppDeps = {
    store: db.store,
    scanner: {
      ...fakeScanner(IDLE),
      requestScan: () => {
        scans++;
        return Promise.resolve(result);
      },
    },
    now: () => NOW,
    adminToken,
  };
  const app = new Hono();
  app.route("/", createApi(deps));
  return {
    post: (client, init = {}) =>
      Promise.resolve(
        app.request("/api/scan", { method: "POST", ...init }, {
          remoteAddr: { hostname: client, port: 5555, transport: "tcp" },
        }),
      ),
    scans: () => scans,
    [Symbol.asyncDispose]: () => db[Symbol.asyncDispose](),
  };
}

const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

Deno.test("POST /api/scan is rate-limited per client, then overall, before the token is read", async () => {
  await using a = await api(ADMIN_TOKEN);
  // One client: its burst (wrong tokens count too), then 429 even with the right token.
  for (let i = 0; i < SCAN_CLIENT_LIMIT.capacity; i++) {
    const res = await a.post("198.51.100.1", bearer(`guess-${i}`));
    assert.equal(res.status, 401);
    await res.body?.cancel();
  }
  const limited = await a.post("198.51.100.1", bearer(ADMIN_TOKEN));
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get("retry-after")) >= 1);
  assert.match((await limited.json()).error, /too many requests.*try again in \d+ s/);
  assert.equal(a.scans(), 0, "a limited request never reaches the scanner");

  // Another client is not held back by the first…
  const other = await a.post("198.51.100.2", bearer(ADMIN_TOKEN));
  assert.equal(other.status, 202);
  await other.body?.cancel();
  assert.equal(a.scans(), 1);

  // …until all clients together reach the global limit.
  let statuses: number[] = [];
  for (let i = 0; i < SCAN_GLOBAL_LIMIT.capacity; i++) {
    const res = await a.post(`203.0.113.${i}`, bearer("wrong"));
    statuses.push(res.status);
    await res.body?.cancel();
  }
  const spent = SCAN_CLIENT_LIMIT.capacity + 1; // the first client's burst and the 202
  assert.deepEqual(
    statuses,
    [
      ...Array(SCAN_GLOBAL_LIMIT.capacity - spent).fill(401),
      ...Array(spent).fill(429),
    ],
  );
  const fresh = await a.post("192.0.2.200", bearer(ADMIN_TOKEN));
  assert.equal(fresh.status, 429, "a new client meets the global limit");
  await fresh.body?.cancel();

  // Off: 403 every time, the limit never involved.
  await using off = await api(null);
  statuses = [];
  for (let i = 0; i < 15; i++) {
    const res = await off.post("198.51.100.1", bearer(ADMIN_TOKEN));
    statuses.push(res.status);
    await res.body?.cancel();
  }
  assert.deepEqual(statuses, Array(15).fill(403));
});

Deno.test("POST /api/scan: bodies over the cap are 413, declared or streamed", async () => {
  await using a = await api(ADMIN_TOKEN);
  const at = await a.post("198.51.100.1", {
    ...bearer(ADMIN_TOKEN),
    body: "x".repeat(SCAN_BODY_LIMIT),
  });
  assert.equal(at.status, 202, "a body at the cap is tolerated (and ignored)");
  await at.body?.cancel();
  const over = await a.post("198.51.100.2", {
    ...bearer(ADMIN_TOKEN),
    body: "x".repeat(SCAN_BODY_LIMIT + 1),
  });
  assert.equal(over.status, 413);
  assert.match((await over.json()).error, /too large/);
  const streamed = await a.post("198.51.100.3", {
    ...bearer(ADMIN_TOKEN),
    body: new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new Uint8Array(512));
        controller.close();
      },
    }),
  });
  assert.equal(streamed.status, 413);
  await streamed.body?.cancel();
  assert.equal(a.scans(), 1, "only the request within the cap started a scan");
});

Deno.test("POST /api/scan on the real server: 202, then 409 while the scan runs, limited per peer", async () => {
  const fake = await startFakeOpenRouter({
    models: Array.from({ length: 4 }, (_, i) => ({ id: `slow/m-${i}:free`, delayMs: 300 })),
    apiKey: TEST_KEY,
  });
  try {
    await using world = await appWorld({
      openrouterUrl: fake.url,
      settings: { concurrency: 1 },
    });
    const post = async (token = ADMIN_TOKEN) => {
      const res = await fetch(`${world.base}/api/scan`, { method: "POST", ...bearer(token) });
      return { status: res.status, body: await res.json() };
    };
    assert.deepEqual(await post(), { status: 202, body: { status: "started" } });
    const busy = await post();
    assert.equal(busy.status, 409);
    assert.match(busy.body.error, /already running/);
    const summary = await (await fetch(`${world.base}/api/summary`)).json();
    assert.notEqual(summary.scanning.running, null);
    await world.scheduler.idle();
    assert.equal((await post()).status, 202, "free again once the scan ended");
    await world.scheduler.idle();
    // The peer address comes from the socket: this client's burst runs out.
    const statuses: number[] = [];
    for (let i = 0; i < SCAN_CLIENT_LIMIT.capacity; i++) statuses.push((await post("x")).status);
    assert.equal(statuses.at(-1), 429);
    assert.equal(statuses.filter((s) => s === 401).length, SCAN_CLIENT_LIMIT.capacity - 3);
  } finally {
    await fake.close();
  }
});
