/** Shared by the *_feature_test files: the whole app on a seeded store, and JSON helpers. */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import type { QuotaPlan } from "../../lib/planner/budget.ts";
import { createApp } from "../../routes/app.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { openTestStore, type SeedData, seedStore, type TestStore } from "../seed.ts";
import { fakeScanner, IDLE, NOW } from "./pages_helpers.ts";

export { NOW };
export const H = 3_600_000;

export interface Feature extends AsyncDisposable {
  app: Hono;
  deps: AppDeps;
  db: TestStore;
  logs: string[];
  get(path: string, init?: RequestInit): Promise<Response>;
}

export async function feature(
  seed: SeedData | null,
  opts: { quota?: QuotaPlan | null } = {},
): Promise<Feature> {
  const db = await openTestStore();
  if (seed) await seedStore(db.store, seed);
  const deps: AppDeps = {
    store: db.store,
    scanner: fakeScanner(IDLE),
    now: () => NOW,
    adminToken: null,
    quota: opts.quota === undefined ? undefined : () => Promise.resolve(opts.quota ?? null),
  };
  const logs: string[] = [];
  const app = createApp(deps, (m) => logs.push(m));
  return {
    app,
    deps,
    db,
    logs,
    get: async (path, init) => await app.request(`http://scouter.test${path}`, init),
    [Symbol.asyncDispose]: () => db[Symbol.asyncDispose](),
  };
}

export async function json<T = unknown>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  return JSON.parse(text) as T;
}

/** A 4xx with `{"error": "…"}` only, naming what was wrong. */
export async function apiError(res: Response, status: number, mentions: RegExp): Promise<void> {
  const body = await json<Record<string, unknown>>(res, status);
  assert.deepEqual(Object.keys(body), ["error"]);
  assert.match(String(body.error), mentions);
}
