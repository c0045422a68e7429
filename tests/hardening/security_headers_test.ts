/**
 * Secure headers on every response the app sends: pages, the API and its errors, static
 * files, 404s of every kind, 405, 413, 429 and 500s; and pages that the CSP does not break
 * (no inline script anywhere, so `script-src 'self'` is enough).
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import type { Store } from "../../lib/db/store.ts";
import { ensureAssets } from "../../lib/web/build.ts";
import { createApp } from "../../routes/app.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { activeManifest, loadAssets } from "../../lib/web/manifest.ts";
import { CONTENT_SECURITY_POLICY } from "../../lib/web/security.ts";
import { fakeScanner, IDLE, NOW } from "../routes/pages_helpers.ts";
import { openTestStore, seedStore } from "../seed.ts";
import { ADMIN_TOKEN } from "./app_world.ts";

const MODEL = "acme/model:free";

/** The policy's directives by name: `{"script-src": ["'self'"], …}`. */
export function cspDirectives(header: string | null): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of (header ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = values;
  }
  return out;
}

/** Asserts the secure headers of one response. */
export function assertSecureHeaders(res: Response, what: string): void {
  const csp = cspDirectives(res.headers.get("content-security-policy"));
  assert.deepEqual(csp["script-src"], ["'self'"], `${what}: script-src`);
  assert.deepEqual(csp["frame-ancestors"], ["'none'"], `${what}: frame-ancestors`);
  assert.deepEqual(csp["object-src"], ["'none'"], `${what}: object-src`);
  assert.deepEqual(csp["base-uri"], ["'none'"], `${what}: base-uri`);
  assert.deepEqual(csp["default-src"], ["'self'"], `${what}: default-src`);
  for (const values of Object.values(csp)) {
    assert.ok(!values.includes("'unsafe-eval'"), `${what}: no unsafe-eval`);
  }
  assert.ok(!csp["script-src"].includes("'unsafe-inline'"), `${what}: no inline scripts`);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff", what);
  assert.equal(res.headers.get("x-frame-options"), "DENY", what);
  assert.equal(res.headers.get("referrer-policy"), "no-referrer", what);
  assert.equal(res.headers.get("cross-origin-opener-policy"), "same-origin", what);
}

function brokenStore(store: Store): Store {
  return {
    ...store,
    client: new Proxy(store.client, {
      get(target, key, receiver) {
        if (key === "batch" || key === "execute") {
          return () => Promise.reject(new Error("disk I/O error"));
        }
        return Reflect.get(target, key, receiver);
      },
    }),
  };
}

Deno.test("secure headers on every response: pages, API, errors, static files, 404s, 500s", async () => {
  await ensureAssets();
  await loadAssets();
  const manifest = activeManifest()!;
  await using db = await openTestStore();
  await seedStore(db.store, {
    models: [{ id: MODEL, name: "Acme" }],
    checks: [{ model_id: MODEL, checked_at: NOW - 3_600_000, status: "ok", latency_ms: 700 }],
  });
  const logs: string[] = [];
  const deps: AppDeps = {
    store: db.store,
    scanner: { ...fakeScanner(IDLE), requestScan: () => Promise.resolve("busy") },
    now: () => NOW,
    adminToken: ADMIN_TOKEN,
  };
  const app = createApp(deps, (m) => logs.push(m));
  const broken = createApp({ ...deps, store: brokenStore(db.store) }, (m) => logs.push(m));
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

  const cases: [string, Hono, string, RequestInit, number][] = [
    ["dashboard", app, "/", {}, 200],
    ["runs page", app, "/runs", {}, 200],
    ["model page", app, `/models/${encodeURIComponent(MODEL)}`, {}, 200],
    ["unknown model page", app, "/models/nope%2Fnope", {}, 404],
    ["unknown page", app, "/no/such/page", {}, 404],
    ["HEAD", app, "/", { method: "HEAD" }, 200],
    ["OPTIONS", app, "/", { method: "OPTIONS" }, 404],
    ["summary", app, "/api/summary", {}, 200],
    ["models", app, "/api/models?range=7d", {}, 200],
    ["bad parameter", app, "/api/models?range=forever", {}, 400],
    ["unknown model", app, "/api/models/nope%2Fnope", {}, 404],
    ["unknown endpoint", app, "/api/nope", {}, 404],
    ["history", app, `/api/models/${MODEL}/history`, {}, 200],
    ["runs", app, "/api/runs", {}, 200],
    ["openapi", app, "/openapi.json", {}, 200],
    ["healthz", app, "/healthz", {}, 200],
    ["scan without a token", app, "/api/scan", { method: "POST" }, 401],
    ["scan while busy", app, "/api/scan", { method: "POST", headers: auth }, 409],
    ["GET on scan", app, "/api/scan", {}, 405],
    ["scan with a big body", app, "/api/scan", {
      method: "POST",
      headers: auth,
      body: "x".repeat(5000),
    }, 413],
    ["a big body anywhere", app, "/api/models", { method: "POST", body: "x".repeat(100_000) }, 413],
    ["boot script", app, `/static/build/${manifest.boot}`, {}, 200],
    ["stylesheet", app, `/static/build/${manifest.css}`, {}, 200],
    ["favicon", app, "/static/favicon.svg", {}, 200],
    ["missing static file", app, "/static/build/nope-AAAAAAAA.js", {}, 404],
    ["static traversal", app, "/static/..%2Fdeno.json", {}, 404],
    ["page error", broken, "/", {}, 500],
    ["API error", broken, "/api/models", {}, 500],
  ];
  for (const [what, target, path, init, status] of cases) {
    const headers = new Headers(init.headers);
    headers.set("Accept-Encoding", "gzip, br");
    const res = await target.request(path, { ...init, headers });
    await res.body?.cancel();
    assert.equal(res.status, status, `${what}: ${path}`);
    assertSecureHeaders(res, what);
  }

  // 429: the rate limit's answer carries them too.
  let limited: Response | null = null;
  for (let i = 0; i < 40 && !limited; i++) {
    const res = await app.request("/api/scan", { method: "POST" });
    await res.body?.cancel();
    if (res.status === 429) limited = res;
  }
  assert.ok(limited, "the rate limit answered 429");
  assertSecureHeaders(limited, "429");

  // The CSP holds for the pages as they are: not one inline script, not one handler attribute.
  for (const path of ["/", "/runs", `/models/${encodeURIComponent(MODEL)}`]) {
    const html = await (await app.request(path)).text();
    for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
      assert.ok(
        /\bsrc="\/static\/build\//.test(tag) || /type="application\/json"/.test(tag),
        `${path}: ${tag}`,
      );
    }
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${path}: no inline event handlers`);
    assert.doesNotMatch(html, /href\s*=\s*"javascript:/i, `${path}: no javascript: links`);
  }
  // Inline styles only: the server-rendered charts' SVG carries style attributes.
  assert.deepEqual(cspDirectives(CONTENT_SECURITY_POLICY)["style-src"], [
    "'self'",
    "'unsafe-inline'",
  ]);
});

Deno.test("badges keep the cross-origin resource policy their route sets; pages stay same-origin", async () => {
  await using db = await openTestStore({ memory: true });
  await seedStore(db.store, {
    models: [{ id: MODEL }],
    checks: [{ model_id: MODEL, checked_at: NOW - 60_000, status: "ok" }],
  });
  const app = createApp({
    store: db.store,
    scanner: fakeScanner(IDLE),
    now: () => NOW,
    adminToken: null,
  }, () => {});
  const badge = await app.request(`/badge/${MODEL}/status.svg`);
  assert.equal(badge.status, 200);
  assert.equal(badge.headers.get("cross-origin-resource-policy"), "cross-origin");
  assertSecureHeaders(badge, "badge");
  const page = await app.request("/");
  assert.equal(page.headers.get("cross-origin-resource-policy"), "same-origin");
});
