/** Shared by the page tests: a fake scanner, a seeded app, and HTML probes. */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import type { AppDeps } from "../../lib/web/deps.ts";
import type { ScanControl, ScannerStatus } from "../../lib/scan/status.ts";
import type { Manifest } from "../../lib/web/manifest.ts";
import { createPages } from "../../routes/pages/mod.tsx";
import { openTestStore, type SeedData, seedStore, type TestStore } from "../seed.ts";

export const NOW = Date.parse("2026-11-27T10:30:00.000Z");

export const HOSTILE_IMG = "<img src=x onerror=alert(1)>";
export const HOSTILE_SCRIPT = "</script><script>alert(1)</script>";

export const IDLE: ScannerStatus = {
  enabled: true,
  disabled_reason: null,
  schedule: "every 1 h",
  running: null,
  next_scan_at: "2026-11-27T11:00:00.000Z",
};

export const OFF: ScannerStatus = {
  enabled: false,
  disabled_reason: "Scanning is off: OPENROUTER_API_KEY is not set. Put it in .env and restart.",
  schedule: null,
  running: null,
  next_scan_at: null,
};

/** A scanner whose status the test can change. */
export function fakeScanner(
  status: ScannerStatus = IDLE,
): ScanControl & { set(s: ScannerStatus): void } {
  let current = status;
  return {
    status: () => Promise.resolve(current),
    requestScan: () => Promise.resolve("busy"),
    set(s) {
      current = s;
    },
  };
}

export interface PagesFixture extends AsyncDisposable {
  app: Hono;
  deps: AppDeps;
  scanner: ReturnType<typeof fakeScanner>;
  db: TestStore;
}

export async function pagesFixture(
  seed: SeedData | null,
  status: ScannerStatus = IDLE,
): Promise<PagesFixture> {
  const db = await openTestStore();
  if (seed) await seedStore(db.store, seed);
  const scanner = fakeScanner(status);
  const deps: AppDeps = { store: db.store, scanner, now: () => NOW, adminToken: null };
  return {
    app: createPages(deps),
    deps,
    scanner,
    db,
    [Symbol.asyncDispose]: () => db[Symbol.asyncDispose](),
  };
}

export async function getHtml(app: Hono, path: string, status = 200): Promise<string> {
  const res = await app.request(path);
  const body = await res.text();
  assert.equal(res.status, status, `${path}: ${body.slice(0, 300)}`);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  return body;
}

/** Every <script …> start tag. */
export function scriptTags(html: string): string[] {
  return html.match(/<script\b[^>]*>/gi) ?? [];
}

/** The props of every island named `name`, parsed from their JSON scripts. */
export function islandProps(html: string, name: string): unknown[] {
  const out: unknown[] = [];
  for (const m of html.matchAll(new RegExp(`data-island="${name}" data-island-id="(\\d+)"`, "g"))) {
    const json = html.match(
      new RegExp(`<script type="application/json" data-island-props="${m[1]}">(.*?)</script>`, "s"),
    );
    assert.ok(json, `props of ${name} #${m[1]}`);
    assert.doesNotMatch(json[1], /[<>&\u2028\u2029]/, "props JSON is script-safe");
    out.push(JSON.parse(json[1]));
  }
  return out;
}

/** The big value of the dashboard card titled `title`. */
export function cardValue(html: string, title: string): string {
  const m = html.match(new RegExp(`>${title}</h2><p[^>]*>(.*?)</p>`, "s"));
  assert.ok(m, `card ${title}`);
  return m[1].replace(/<[^>]+>/g, "");
}

/** Rows of the table whose body follows `marker` (rows = `<tr` in its <tbody>). */
export function bodyRows(html: string, marker: string): string[] {
  const start = html.indexOf(marker);
  assert.ok(start >= 0, `marker ${marker}`);
  const body = html.slice(html.indexOf("<tbody", start), html.indexOf("</tbody>", start));
  return body.split("<tr").slice(1);
}

export const FAKE_MANIFEST: Manifest = {
  inputsHash: "test",
  boot: "boot-AAAAAAAA.js",
  css: "styles-bbbbbbbb.css",
  preload: { boot: [], islands: {} },
  files: [],
  builtAt: "2026-01-01T00:00:00.000Z",
};
