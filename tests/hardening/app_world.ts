/**
 * The whole server in this process: the real scheduler, the real app on a real socket, a
 * SQLite file in a temp dir, and an OpenRouter (the fake, or a chaos proxy in front of it).
 * Deno.cron is replaced by a tick the test fires.
 */
import { openStore } from "../../lib/db/open.ts";
import type { Store } from "../../lib/db/store.ts";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import type { ScanSettings } from "../../lib/scan/scan.ts";
import { createScheduler, type Scheduler } from "../../lib/schedule/scheduler.ts";
import type { CronRegister } from "../../lib/schedule/cron.ts";
import { createApp } from "../../routes/app.ts";
import { FAST_SETTINGS, TEST_KEY } from "../scan/helpers.ts";

export const ADMIN_TOKEN = "admin-hardening-0123456789abcdef0123";

export interface AppWorld extends AsyncDisposable {
  store: Store;
  scheduler: Scheduler;
  base: string;
  dir: string;
  logs: string[];
  /** Fires the scheduler's cron tick, as Deno.cron would every minute. */
  tick(): Promise<void>;
}

export interface AppWorldOptions {
  /** The OpenRouter base URL to scan (the fake's or a proxy's). */
  openrouterUrl: string;
  settings?: Partial<ScanSettings>;
  scanOnStart?: boolean;
  /** Replaces fetch for the OpenRouter client (to serve bodies no fake would). */
  fetch?: typeof fetch;
  /** Called with the store once it is open, before anything runs. */
  prepare?: (store: Store) => Promise<void>;
}

export async function appWorld(opts: AppWorldOptions): Promise<AppWorld> {
  const dir = await Deno.makeTempDir({ prefix: "scouter-hardening-" });
  const store = await openStore({ path: `${dir}/scouter.db` });
  await opts.prepare?.(store);
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  let fire: (() => Promise<void>) | null = null;
  const cron: CronRegister = (_name, _schedule, options, handler) => {
    fire = handler;
    return new Promise((resolve) => options.signal?.addEventListener("abort", () => resolve()));
  };
  const scheduler = createScheduler({
    store,
    openrouter: createOpenRouterClient({
      baseUrl: opts.openrouterUrl,
      apiKey: TEST_KEY,
      fetch: opts.fetch,
    }),
    settings: { ...FAST_SETTINGS, ...opts.settings },
    timing: { kind: "interval", everyMs: 3_600_000 },
    scanOnStart: opts.scanOnStart ?? false,
    log,
    cron,
  });
  const app = createApp({
    store,
    scanner: scheduler,
    now: () => Date.now(),
    adminToken: ADMIN_TOKEN,
  }, log);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  await scheduler.start();
  return {
    store,
    scheduler,
    base: `http://127.0.0.1:${server.addr.port}`,
    dir,
    logs,
    tick: () => fire ? fire() : Promise.resolve(),
    async [Symbol.asyncDispose]() {
      await scheduler.stop();
      await server.shutdown();
      store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The pages and API a visitor uses, with the status each answered. */
export async function visit(base: string, modelId: string): Promise<Record<string, number>> {
  const paths = [
    "/",
    "/runs",
    `/models/${encodeURIComponent(modelId)}`,
    "/api/summary",
    "/api/models",
    `/api/models/${encodeURIComponent(modelId)}/history`,
    "/api/runs",
    "/healthz",
  ];
  const out: Record<string, number> = {};
  await Promise.all(paths.map(async (path) => {
    const res = await fetch(base + path);
    await res.body?.cancel();
    out[path] = res.status;
  }));
  return out;
}

/** Resolves when `p` does, or rejects after `ms` naming `what` (a hang detector, not a timer). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
