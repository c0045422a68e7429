/**
 * Delivering alert events to webhooks, from the outbox in the database (so a restart loses
 * nothing and sends nothing twice): each target's new events are queued, then every due
 * delivery is claimed, POSTed, and marked delivered, retried later with backoff, or failed.
 *
 * Nothing here is ever awaited by a scan: `kick()` starts a pass in the background. Targets are
 * served concurrently, each in order, so one slow webhook does not hold up another. A URL never
 * reaches a log line or the database (it is a secret): errors name the target's label.
 */
import {
  claimDelivery,
  dueDeliveries,
  enqueueDeliveries,
  finishDelivery,
  initTargetCursors,
} from "../db/alert_outbox.ts";
import type { Store } from "../db/store.ts";
import { formatWebhook } from "./format.ts";
import type { WebhookTarget } from "../config/webhooks.ts";

export interface DispatcherOptions {
  store: Store;
  targets: readonly WebhookTarget[];
  log: (message: string) => void;
  fetch?: typeof fetch;
  now?: () => number;
  /** Per POST (default 10 s). */
  timeoutMs?: number;
  /** Attempts before a delivery is given up (default 8: about two hours of retries). */
  maxAttempts?: number;
  /** First retry delay (default 10 s); each next one is 3× longer, at most `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Events older than this are not sent to a target (default 24 h): stale news is noise. */
  maxAgeMs?: number;
  random?: () => number;
}

export interface Dispatcher {
  /** Makes the targets' cursors exist (before the first scan, so its events are sent). */
  init(): Promise<void>;
  /** Starts a pass in the background (or another one after the running pass). */
  kick(): void;
  /** Resolves when no pass is running or queued. */
  idle(): Promise<void>;
  /** Passes until nothing is due now, or `timeoutMs` passed. For the CLI before it exits. */
  flush(timeoutMs: number): Promise<void>;
  /** Aborts POSTs in flight (they stay queued) and waits for the pass to end. */
  stop(): Promise<void>;
}

export type SendOutcome =
  | { ok: true }
  | { ok: false; retry: boolean; error: string; retryAfterMs: number | null };

export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const now = opts.now ?? (() => Date.now());
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxAttempts = opts.maxAttempts ?? 8;
  const baseDelay = opts.baseDelayMs ?? 10_000;
  const maxDelay = opts.maxDelayMs ?? 3_600_000;
  const maxAge = opts.maxAgeMs ?? 86_400_000;
  const random = opts.random ?? Math.random;
  const byKey = new Map(opts.targets.map((t) => [t.key, t]));
  const stopping = new AbortController();
  let running: Promise<void> | null = null;
  let again = false;

  async function send(t: WebhookTarget, req: ReturnType<typeof formatWebhook>) {
    let res: Response;
    try {
      res = await doFetch(t.url, {
        method: "POST",
        headers: { "User-Agent": "Scouter alerts", ...req.headers },
        body: req.body,
        signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(timeoutMs)]),
        redirect: "manual",
      });
      await res.body?.cancel().catch(() => {});
    } catch (err) {
      const timedOut = (err as Error)?.name === "TimeoutError";
      return {
        ok: false,
        retry: true,
        error: timedOut ? "timed out" : "network error",
        retryAfterMs: null,
      } satisfies SendOutcome;
    }
    return outcomeOf(res.status, res.headers.get("retry-after"), now());
  }

  /** One target's due deliveries, in order. */
  async function serve(t: WebhookTarget, due: Awaited<ReturnType<typeof dueDeliveries>>) {
    const client = opts.store.client;
    for (const d of due) {
      if (stopping.signal.aborted) return;
      const at = now();
      if (!await claimDelivery(client, d.id, at, at + timeoutMs + 5_000)) continue;
      const result = await send(t, formatWebhook(t.format, d.event));
      if (result.ok) {
        await finishDelivery(client, d.id, { status: "delivered", at: now() });
        continue;
      }
      if (stopping.signal.aborted) {
        // Shutting down: left for the next start, due at once.
        await finishDelivery(client, d.id, { status: "pending", retryAt: now(), error: "stopped" });
        return;
      }
      const attempts = d.attempts + 1;
      if (!result.retry || attempts >= maxAttempts) {
        await finishDelivery(client, d.id, { status: "failed", error: result.error });
        opts.log(
          `alert ${d.event.id} to ${t.label} not delivered: ${result.error}` +
            (result.retry ? ` (gave up after ${attempts} attempts)` : ""),
        );
        continue;
      }
      const wait = Math.max(
        retryDelay(attempts, baseDelay, maxDelay, random),
        Math.min(result.retryAfterMs ?? 0, maxDelay),
      );
      await finishDelivery(client, d.id, {
        status: "pending",
        retryAt: now() + wait,
        error: result.error,
      });
      if (attempts === 1) {
        opts.log(`alert ${d.event.id} to ${t.label}: ${result.error}; will retry`);
      }
    }
  }

  async function pass(): Promise<number> {
    const client = opts.store.client;
    const keys = [...byKey.keys()];
    for (const key of keys) await enqueueDeliveries(client, key, now(), maxAge);
    const due = await dueDeliveries(client, keys, now());
    const groups = new Map<string, typeof due>();
    for (const d of due) groups.set(d.target, [...(groups.get(d.target) ?? []), d]);
    await Promise.all(
      [...groups].map(([key, list]) => serve(byKey.get(key) as WebhookTarget, list)),
    );
    return due.length;
  }

  function kick(): void {
    if (byKey.size === 0 || stopping.signal.aborted) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await pass();
        } while (again && !stopping.signal.aborted);
      } catch (err) {
        opts.log(`alert delivery failed: ${(err as Error).message}`);
      } finally {
        running = null;
      }
    })();
  }

  return {
    init: () => initTargetCursors(opts.store.client, [...byKey.keys()]),
    kick,
    async idle() {
      while (running) await running;
    },
    async flush(ms) {
      const deadline = now() + ms;
      while (running) await running;
      while (byKey.size > 0 && now() < deadline && !stopping.signal.aborted) {
        const left = deadline - now();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const sent = await Promise.race([
          pass().catch((err) => {
            opts.log(`alert delivery failed: ${(err as Error).message}`);
            return 0;
          }),
          new Promise<number>((r) => timer = setTimeout(() => r(0), left)),
        ]);
        clearTimeout(timer);
        if (sent === 0) break;
      }
    },
    async stop() {
      stopping.abort();
      while (running) await running;
    },
  };
}

/** How a webhook's answer is judged: 2xx delivered; 408, 429, 5xx retried; other 4xx failed. */
export function outcomeOf(status: number, retryAfter: string | null, now: number): SendOutcome {
  if (status >= 200 && status < 300) return { ok: true };
  const retry = status === 408 || status === 429 || status >= 500;
  return {
    ok: false,
    retry,
    error: `HTTP ${status}`,
    retryAfterMs: parseRetryAfter(retryAfter, now),
  };
}

/** `Retry-After` in seconds or as an HTTP date, as milliseconds from now; null if absent. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

/** The wait before retry number `attempt` (1-based): base × 3^(attempt−1), ±20 %, capped. */
export function retryDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(maxMs, baseMs * 3 ** Math.max(0, attempt - 1));
  return Math.round(Math.min(maxMs, exp * (0.8 + 0.4 * random())));
}
