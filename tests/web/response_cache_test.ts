/**
 * The response cache as the server mounts it (createApp with `dataVersion`): bodies and ETags
 * per data version, 304s, a write from this or another process showing within the version
 * interval (after one stale answer while it renders in the background), Cache-Control and Vary
 * per kind, encodings, what is never cached, the caps; stale-while-revalidate with a slow or
 * failing renderer, and its bound.
 */
import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { readDataVersion } from "../../lib/db/data_version.ts";
import { openStore } from "../../lib/db/open.ts";
import { ensureAssets } from "../../lib/web/build.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { loadAssets } from "../../lib/web/manifest.ts";
import { responseCache } from "../../lib/web/response_cache.ts";
import { createApp } from "../../routes/app.ts";
import { checkDefaults, openTestStore, seedStore, type TestStore } from "../seed.ts";
import { fakeScanner, NOW } from "../routes/pages_helpers.ts";
import { Hono } from "hono";
import { model } from "../db/helpers.ts";

const MODEL = "acme/model:free";
const HOUR = 3_600_000;

interface World extends AsyncDisposable {
  app: Hono;
  db: TestStore;
  scanner: ReturnType<typeof fakeScanner>;
  /** Moves the injected clock. */
  advance(ms: number): void;
}

async function world(): Promise<World> {
  await ensureAssets();
  await loadAssets();
  const db = await openTestStore();
  await seedStore(db.store, {
    models: [{ id: MODEL, name: "Acme Model" }, { id: "other/model:free", name: "Other" }],
    checks: [0, 1, 2].map((i) => ({
      model_id: MODEL,
      checked_at: NOW - (3 - i) * HOUR,
      status: "ok" as const,
    })),
  });
  let now = NOW;
  const scanner = fakeScanner();
  const deps: AppDeps = {
    store: db.store,
    scanner,
    now: () => now,
    adminToken: null,
    dataVersion: () => readDataVersion(db.store.client),
  };
  return {
    app: createApp(deps, () => {}),
    db,
    scanner,
    advance: (ms) => (now += ms),
    [Symbol.asyncDispose]: () => db[Symbol.asyncDispose](),
  };
}

async function get(app: Hono, path: string, headers: Record<string, string> = {}) {
  const res = await app.request(path, { headers });
  return { res, body: new Uint8Array(await res.arrayBuffer()) };
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/**
 * After the data moved: the first request gets the previous answer (`staleEtag`) at once and
 * starts a background render; the answer after it is the new one (polled: the render is async).
 */
async function afterRevalidation(app: Hono, path: string, staleEtag: string | null) {
  const first = await get(app, path);
  assert.equal(first.res.headers.get("etag"), staleEtag, `${path}: the previous answer first`);
  for (let i = 0; i < 200; i++) {
    const next = await get(app, path);
    if (next.res.headers.get("etag") !== staleEtag) return next;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${path}: still the previous answer after its background render`);
}

async function insertOk(store: TestStore["store"], at: number): Promise<void> {
  const run = await store.startRun({ trigger: "schedule", started_at: at });
  await store.insertCheck(run, {
    model_id: MODEL,
    checked_at: at,
    ...checkDefaults("ok"),
    latency_ms: 4321,
  });
}

Deno.test("same data: the same body and ETag; If-None-Match gives a 304 without a body", async () => {
  await using w = await world();
  for (const path of ["/", `/models/${MODEL}`, "/api/models", "/api/summary", "/runs"]) {
    const a = await get(w.app, path);
    const b = await get(w.app, path);
    assert.equal(a.res.status, 200, path);
    const etag = a.res.headers.get("etag");
    assert.match(etag ?? "", /^W\/"[A-Za-z0-9_-]{22}"$/, path);
    assert.equal(b.res.headers.get("etag"), etag, path);
    assert.deepEqual(b.body, a.body, path);

    const notModified = await get(w.app, path, { "If-None-Match": etag! });
    assert.equal(notModified.res.status, 304, path);
    assert.equal(notModified.body.length, 0, path);
    assert.equal(notModified.res.headers.get("etag"), etag, path);
    // A list, and the tag without W/ (weak comparison), match too.
    const listed = await get(w.app, path, { "If-None-Match": `"x", ${etag!.slice(2)}` });
    assert.equal(listed.res.status, 304, path);
    const other = await get(w.app, path, { "If-None-Match": '"something-else"' });
    assert.equal(other.res.status, 200, path);
  }
});

Deno.test("Cache-Control and Vary: pages vary on the cookie, the API does not", async () => {
  await using w = await world();
  for (const path of ["/", `/models/${MODEL}`, "/runs"]) {
    const { res } = await get(w.app, path);
    assert.equal(res.headers.get("cache-control"), "public, max-age=10, stale-while-revalidate=60");
    assert.equal(res.headers.get("vary"), "Accept-Encoding, Cookie");
  }
  for (const path of ["/api/models", "/api/summary", `/api/models/${MODEL}`, "/api/runs"]) {
    const { res } = await get(w.app, path);
    assert.equal(res.headers.get("cache-control"), "public, max-age=5, stale-while-revalidate=30");
    assert.equal(res.headers.get("vary"), "Accept-Encoding");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  }
});

Deno.test("the theme cookie is part of a page's key", async () => {
  await using w = await world();
  const light = await get(w.app, "/", { cookie: "scouter-theme=light" });
  const dark = await get(w.app, "/", { cookie: "scouter-theme=dark" });
  const darkAgain = await get(w.app, "/", { cookie: "other=1; scouter-theme=dark" });
  assert.notEqual(light.res.headers.get("etag"), dark.res.headers.get("etag"));
  assert.equal(darkAgain.res.headers.get("etag"), dark.res.headers.get("etag"));
  assert.match(text(dark.body), /class="[^"]*\bdark\b/);
});

Deno.test("a write shows once the version interval has passed, from this store or another process", async () => {
  await using w = await world();
  const first = (await get(w.app, "/api/models")).res.headers.get("etag");

  await insertOk(w.db.store, NOW - 60_000);
  // Same instant: the version is not read again yet, the kept answer is served.
  assert.equal((await get(w.app, "/api/models")).res.headers.get("etag"), first);
  w.advance(2_100);
  const second = await afterRevalidation(w.app, "/api/models", first);
  assert.match(text(second.body), /4321/);

  // Another Store on the same file: another process's connection.
  const other = await openStore({ path: w.db.path });
  try {
    await insertOk(other, NOW - 30_000);
    w.advance(2_100);
    const third = await afterRevalidation(w.app, "/api/models", second.res.headers.get("etag"));
    // Its catalog change alone (no check) shows too: data_version, not only the rollups.
    await other.syncCatalog([model(MODEL, { name: "Acme Model Renamed" })], NOW, null);
    w.advance(2_100);
    const renamed = await afterRevalidation(
      w.app,
      "/api/models",
      third.res.headers.get("etag"),
    );
    assert.match(text(renamed.body), /Acme Model Renamed/);
  } finally {
    other.close();
  }
});

Deno.test("the scanner's status is part of the version: a scan starting shows at once", async () => {
  await using w = await world();
  const idle = (await get(w.app, "/api/summary")).res.headers.get("etag");
  w.scanner.set({
    enabled: true,
    disabled_reason: null,
    schedule: "every 1 h",
    running: { run_id: 7, started_at: new Date(NOW).toISOString(), progress: null },
    next_scan_at: null,
  });
  w.advance(2_100);
  const running = await afterRevalidation(w.app, "/api/summary", idle);
  assert.equal(JSON.parse(text(running.body)).scanning.running.run_id, 7);
});

Deno.test("data_version moves with runs, the catalog and alert-relevant rows, not heartbeats", async () => {
  await using db = await openTestStore();
  const v0 = await readDataVersion(db.store.client);
  const run = await db.store.startRun({ trigger: "schedule", started_at: NOW });
  const v1 = await readDataVersion(db.store.client);
  assert.notEqual(v1, v0, "a run started");
  await db.store.heartbeat(run, NOW + 5_000);
  assert.equal(await readDataVersion(db.store.client), v1, "a heartbeat changes nothing shown");
  await db.store.finishRun(run, { status: "completed", finished_at: NOW + 9_000 });
  assert.notEqual(await readDataVersion(db.store.client), v1, "a run finished");
});

Deno.test("Accept-Encoding: br, gzip or identity, each the same body", async () => {
  await using w = await world();
  const plain = await get(w.app, "/");
  assert.equal(plain.res.headers.get("content-encoding"), null);
  const br = await get(w.app, "/", { "Accept-Encoding": "gzip, deflate, br" });
  assert.equal(br.res.headers.get("content-encoding"), "br");
  assert.deepEqual(new Uint8Array(brotliDecompressSync(br.body)), plain.body);
  const gz = await get(w.app, "/", { "Accept-Encoding": "gzip" });
  assert.equal(gz.res.headers.get("content-encoding"), "gzip");
  assert.deepEqual(new Uint8Array(gunzipSync(gz.body)), plain.body);
  const refused = await get(w.app, "/", { "Accept-Encoding": "br;q=0, gzip;q=0" });
  assert.equal(refused.res.headers.get("content-encoding"), null);
  assert.equal(Number(br.res.headers.get("content-length")), br.body.length);
  assert.ok(br.body.length < plain.body.length / 3, "brotli shrinks the page");
  // One ETag for every encoding of one body.
  assert.equal(br.res.headers.get("etag"), plain.res.headers.get("etag"));
  assert.equal(gz.res.headers.get("etag"), plain.res.headers.get("etag"));
});

Deno.test("never cached: POST /api/scan, /healthz, exports and errors", async () => {
  await using w = await world();
  const scan = await w.app.request("/api/scan", { method: "POST" });
  assert.equal(scan.status, 403);
  assert.equal(scan.headers.get("cache-control"), "no-store");
  assert.equal(scan.headers.get("etag"), null);
  const health = await w.app.request("/healthz");
  assert.equal(health.status, 200);
  assert.equal(health.headers.get("cache-control"), "no-store");
  assert.equal(health.headers.get("etag"), null);
  for (const path of ["/api/models/nobody%2Fnothing:free", "/api/models?range=forever"]) {
    const res = await w.app.request(path);
    assert.ok(res.status >= 400, path);
    assert.equal(res.headers.get("cache-control"), "no-store", path);
    assert.equal(res.headers.get("etag"), null, path);
  }
  const page = await w.app.request("/models/nobody%2Fnothing:free");
  assert.equal(page.status, 404);
  assert.equal(page.headers.get("etag"), null);
  const exported = await w.app.request(`/api/export/checks?model_id=${MODEL}`);
  assert.equal(exported.headers.get("cache-control"), "no-store");
  assert.equal(exported.headers.get("etag"), null);
  // /healthz says how the database is now: closed, it fails at once.
  w.db.store.close();
  assert.equal((await w.app.request("/healthz")).status, 503);
});

Deno.test("the cache stays under its caps however many query strings a crawler tries", async () => {
  let renders = 0;
  const cache = responseCache({
    version: () => Promise.resolve("v1"),
    now: () => NOW,
    maxEntries: 20,
    maxBytes: 64 * 1024,
  });
  const app = new Hono();
  app.use(cache.middleware);
  app.get("/api/models", (c) => {
    renders++;
    return c.json({ q: c.req.query("q"), pad: "x".repeat(2000) });
  });
  for (let i = 0; i < 500; i++) {
    const res = await app.request(`/api/models?q=${i}`);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  }
  assert.equal(renders, 500);
  const { entries, bytes } = cache.stats();
  assert.ok(entries <= 20, `${entries} entries`);
  assert.ok(bytes <= 64 * 1024, `${bytes} bytes`);
  // The newest are kept: asking again costs no render.
  await (await app.request("/api/models?q=499")).arrayBuffer();
  assert.equal(renders, 500);
  // A URL past the cap is answered, never kept.
  const long = await app.request(`/api/models?q=${"y".repeat(2000)}`);
  assert.equal(long.status, 200);
  assert.equal(long.headers.get("etag"), null);
});

Deno.test("concurrent misses of one key render it once; an old entry is served while it renders", async () => {
  let version = "v1";
  let renders = 0;
  let release: () => void = () => {};
  const cache = responseCache({
    version: () => Promise.resolve(version),
    now: () => NOW + (version === "v1" ? 0 : 5_000),
  });
  const app = new Hono();
  app.use(cache.middleware);
  app.get("/api/summary", async (c) => {
    renders++;
    if (version === "v2") await new Promise<void>((r) => (release = r));
    return c.json({ version });
  });
  const first = await Promise.all(
    Array.from(
      { length: 10 },
      async () => (await app.request("/api/summary")).json() as Promise<{ version: string }>,
    ),
  );
  assert.equal(renders, 1);
  assert.ok(first.every((b) => b.version === "v1"));

  version = "v2";
  const rendering = app.request("/api/summary");
  await new Promise((r) => setTimeout(r, 10));
  const meanwhile = await (await app.request("/api/summary")).json();
  assert.equal(meanwhile.version, "v1", "the previous entry while v2 renders");
  release();
  assert.equal((await (await rendering).json()).version, "v2");
  assert.equal((await (await app.request("/api/summary")).json()).version, "v2");
  assert.equal(renders, 2);
});
