/**
 * The response cache's stale-while-revalidate: after the data moved, a request never waits on
 * a render while the previous entry is within its bound; one background render (a request of
 * its own through `refetch`) makes the new entry; past the bound a request waits; a failing
 * background render is logged once and does not break serving.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { responseCache } from "../../lib/web/response_cache.ts";

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

interface Rig {
  app: Hono;
  cache: ReturnType<typeof responseCache>;
  logs: string[];
  /** The data version the cache reads. */
  setVersion(v: string): void;
  advance(ms: number): void;
  /** The handler's renders so far, by version. */
  renders: string[];
  /** While set, a render of this version waits for release(). */
  slow: string | null;
  release(): void;
  /** While set, a render of this version throws. */
  failing: string | null;
}

function rig(): Rig {
  let version = "v1";
  let now = T0;
  let gate = Promise.withResolvers<void>();
  const logs: string[] = [];
  const app = new Hono();
  const r: Rig = {
    app,
    cache: responseCache({
      version: () => Promise.resolve(version),
      now: () => now,
      log: (m) => logs.push(m),
      refetch: (request, env) => app.fetch(request, env),
    }),
    logs,
    setVersion: (v) => (version = v),
    advance: (ms) => (now += ms),
    renders: [],
    slow: null,
    release: () => {
      gate.resolve();
      gate = Promise.withResolvers<void>();
    },
    failing: null,
  };
  app.use(r.cache.middleware);
  app.get("/api/summary", async (c) => {
    const v = version;
    r.renders.push(v);
    if (r.slow === v) await gate.promise;
    if (r.failing === v) throw new Error("the database is gone");
    return c.json({ version: v });
  });
  app.onError((_err, c) => c.json({ error: "internal error" }, 500));
  return r;
}

async function body(app: Hono, path = "/api/summary") {
  const res = await app.request(path);
  return { status: res.status, etag: res.headers.get("etag"), json: await res.json() };
}

/** Resolves with `p`'s value, or "pending" if it has not settled within `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | "pending"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"pending">((r) => (timer = setTimeout(() => r("pending"), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls until no background render is in flight (they are async, a few ms each). */
async function settled(r: Rig, background: number) {
  for (let i = 0; i < 200 && r.cache.stats().background < background; i++) {
    await new Promise((res) => setTimeout(res, 5));
  }
  assert.equal(r.cache.stats().background, background, "background renders done");
}

Deno.test("a new version: the previous body at once, however slow the render; the new one after it", async () => {
  const r = rig();
  const v1 = await body(r.app);
  assert.equal(v1.json.version, "v1");

  r.setVersion("v2");
  r.slow = "v2";
  r.advance(2_500); // past the 2 s minimum age
  // Many requests at once: every one gets v1 without waiting, one background render starts.
  const meanwhile = await within(
    Promise.all(Array.from({ length: 20 }, () => body(r.app))),
    1_000,
  );
  assert.notEqual(meanwhile, "pending", "no request waited on the slow render");
  if (meanwhile === "pending") return;
  for (const b of meanwhile) {
    assert.equal(b.json.version, "v1");
    assert.equal(b.etag, v1.etag, "the previous entry keeps its own ETag");
  }
  await new Promise((res) => setTimeout(res, 20));
  assert.deepEqual(r.renders, ["v1", "v2"], "one background render for twenty requests");

  r.release();
  await settled(r, 1);
  const v2 = await body(r.app);
  assert.equal(v2.json.version, "v2");
  assert.notEqual(v2.etag, v1.etag);
  assert.equal(r.renders.length, 2);
  assert.ok(r.cache.stats().stale >= 20);
});

Deno.test("past the stale bound (5 s since last known current) a request waits for the render", async () => {
  const r = rig();
  await body(r.app);
  r.setVersion("v2");
  r.slow = "v2";
  r.advance(6_000); // nobody asked for 6 s: the entry is not known current within 5 s
  const waiting = body(r.app);
  assert.equal(await within(waiting, 100), "pending", "the request waits for v2");
  r.release();
  assert.equal((await waiting).json.version, "v2");
  assert.equal(r.cache.stats().background, 0, "rendered in the foreground");
});

Deno.test("a new time bucket is revalidated in the background too", async () => {
  const r = rig();
  await body(r.app);
  r.advance(9_000);
  await body(r.app); // seen current 9 s into its bucket
  r.advance(1_500); // the next 10 s bucket; the version is the same
  r.slow = "v1";
  // The entry was known current until its bucket ended 0.5 s ago: served while it renders.
  const served = await within(body(r.app), 500);
  assert.notEqual(served, "pending");
  await new Promise((res) => setTimeout(res, 20)); // the background render reaches the gate
  r.release();
  await settled(r, 1);
  assert.equal(r.renders.length, 2);
});

Deno.test("a failing background render: logged once, the previous body served until the bound, then a foreground render", async () => {
  const r = rig();
  const v1 = await body(r.app);
  r.setVersion("v2");
  r.failing = "v2";
  r.advance(2_500);
  for (let i = 0; i < 5; i++) {
    const b = await body(r.app);
    assert.equal(b.status, 200);
    assert.equal(b.json.version, "v1");
    await new Promise((res) => setTimeout(res, 10));
  }
  assert.equal(r.cache.stats().backgroundFailures, 1, "retried at most once a second");
  assert.equal(r.logs.length, 1, r.logs.join("\n"));
  assert.match(r.logs[0], /rendering \/api\/summary again failed \(HTTP 500\)/);
  assert.doesNotMatch(r.logs[0], /database is gone/, "the error's own text stays in onError");

  r.advance(1_100); // a retry is allowed again, still within the bound: still v1, no new log line
  assert.equal((await body(r.app)).etag, v1.etag);
  await new Promise((res) => setTimeout(res, 20));
  assert.equal(r.cache.stats().backgroundFailures, 2);
  assert.equal(r.logs.length, 1, "logged once per entry");

  r.advance(3_000); // 6.6 s since v1 was last known current: past the bound
  const past = await body(r.app);
  assert.equal(past.status, 500, "the foreground render's own answer");
  r.failing = null;
  const healed = await body(r.app);
  assert.equal(healed.status, 200);
  assert.equal(healed.json.version, "v2");
});

Deno.test("a background render is a request of its own: 404s and other keys are not mixed up", async () => {
  const r = rig();
  let gone = false;
  r.app.get(
    "/api/models/:id",
    (c) => gone ? c.json({ error: "unknown model" }, 404) : c.json({ id: c.req.param("id") }),
  );
  const a = await body(r.app, "/api/models/a");
  const b = await body(r.app, "/api/models/b");
  assert.equal(a.json.id, "a");
  assert.equal(b.json.id, "b");
  r.setVersion("v2");
  r.advance(2_500);
  gone = true;
  // Within the bound the kept answer is served; the background 404 is not kept.
  assert.equal((await body(r.app, "/api/models/a")).json.id, "a");
  await new Promise((res) => setTimeout(res, 20));
  assert.equal((await body(r.app, "/api/models/a")).json.id, "a");
  assert.equal((await body(r.app, "/api/models/b")).json.id, "b");
  r.advance(6_000);
  assert.equal((await body(r.app, "/api/models/a")).status, 404, "past the bound: the truth");
});
