/**
 * A router world for tests and the benchmark: the fake OpenRouter, a store whose catalog and
 * recent checks come from it, the router behind a real /v1 server, and an openai client.
 */
import OpenAI from "openai";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import { freeModels } from "../../lib/openrouter/catalog.ts";
import { createPassthrough } from "../../lib/openrouter/passthrough.ts";
import { prioritize } from "../../lib/router/priority.ts";
import { createRouter, type Router } from "../../lib/router/router.ts";
import type { BreakerPolicy } from "../../lib/router/breaker.ts";
import { systemClock } from "../../lib/scan/clock.ts";
import { createPacer } from "../../lib/scan/pacer.ts";
import type { Store } from "../../lib/db/store.ts";
import type { CheckStatus } from "../../lib/domain/check.ts";
import { createV1 } from "../../routes/v1/mod.ts";
import {
  type FakeModelSpec,
  type FakeOpenRouter,
  startFakeOpenRouter,
} from "../fake_openrouter.ts";
import { check } from "../db/helpers.ts";
import { openTestStore, type TestStore } from "../seed.ts";

export const TOKEN = "router-test-token-0123456789";
export const API_KEY = "sk-or-v1-router-test-key-abcdef";

/** Recent checks to seed: `n` checks of `status` with `latencyMs`. */
export interface SeedHistory {
  model: string;
  n: number;
  status: CheckStatus;
  latencyMs?: number;
}

export interface WorldOptions {
  models: FakeModelSpec[];
  history?: SeedHistory[];
  maxAttempts?: number;
  firstTokenMs?: number;
  clientConcurrency?: number;
  random?: () => number;
  breakerPolicy?: BreakerPolicy;
  /** How long the router reuses its ranking (default 0: read again on every request). */
  viewTtlMs?: number;
  /** Reuse a store (a restart); default: a fresh one. */
  store?: Store;
}

export interface World {
  fake: FakeOpenRouter;
  store: Store;
  router: Router;
  /** `http://127.0.0.1:PORT/v1` */
  baseUrl: string;
  openai: OpenAI;
  close(): Promise<void>;
}

export async function startWorld(opts: WorldOptions): Promise<World> {
  const fake = await startFakeOpenRouter({
    models: opts.models,
    apiKey: API_KEY,
    random: opts.random,
  });
  let owned: TestStore | null = null;
  let store = opts.store;
  if (!store) {
    owned = await openTestStore();
    store = owned.store;
    await seed(store, fake.url, opts.history ?? []);
  }
  const pacer = createPacer({ rpm: 100_000, delayMs: 0, clock: systemClock });
  const router = createRouter({
    store,
    passthrough: createPassthrough({ baseUrl: fake.url, apiKey: API_KEY }),
    pacer: prioritize(pacer).traffic,
    maxAttempts: opts.maxAttempts ?? 3,
    firstTokenMs: opts.firstTokenMs ?? 2_000,
    breakerPolicy: opts.breakerPolicy,
    viewTtlMs: opts.viewTtlMs ?? 0,
    log: () => {},
  });
  const app = createV1({
    router,
    token: TOKEN,
    clientConcurrency: opts.clientConcurrency ?? 1_000,
    corsOrigins: [],
    log: () => {},
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const baseUrl = `http://127.0.0.1:${server.addr.port}/v1`;
  return {
    fake,
    store,
    router,
    baseUrl,
    openai: new OpenAI({ baseURL: baseUrl, apiKey: TOKEN, maxRetries: 0 }),
    async close() {
      await server.shutdown();
      await router.flush();
      await fake.close();
      if (owned) await owned[Symbol.asyncDispose]();
    },
  };
}

/** The fake's free catalog, and `history` as checks of the last hour (newest last). */
async function seed(store: Store, url: string, history: SeedHistory[]): Promise<void> {
  const client = createOpenRouterClient({ baseUrl: url, apiKey: API_KEY });
  const now = Date.now();
  const runId = await store.startRun({ trigger: "cli", started_at: now - 3_600_000 });
  await store.syncCatalog(freeModels(await client.listModels()), now - 3_600_000, runId);
  for (const h of history) {
    for (let i = 0; i < h.n; i++) {
      const ok = h.status === "ok";
      await store.insertCheck(
        runId,
        check(h.model, {
          status: h.status,
          checked_at: now - 3_000_000 + i * 60_000,
          latency_ms: ok ? h.latencyMs ?? 800 : null,
          http_status: ok ? 200 : 503,
          error: ok ? null : "seeded failure",
          answer: null,
        }),
      );
    }
  }
  await store.finishRun(runId, { status: "completed", finished_at: now - 3_000_000 });
}
