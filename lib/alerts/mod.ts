/**
 * Alerts, assembled: after each scan the rules record what changed (lib/alerts/engine.ts) and
 * the dispatcher sends it to the webhooks (lib/alerts/delivery.ts), all in the background.
 *
 *   const alerts = await createAlerts({ store, rules, webhookUrls, log });
 *   alerts.start();            // server: retry timer
 *   alerts.afterScan();        // returns at once
 *   await alerts.stop();
 */
import type { Store } from "../db/store.ts";
import { leaseHolder } from "../scan/lease.ts";
import { createDispatcher, type DispatcherOptions } from "./delivery.ts";
import { runAlertPass } from "./engine.ts";
import { alertLogLines } from "./log_lines.ts";
import { webhookTargets } from "../config/webhooks.ts";
import type { AlertEvent, AlertRules } from "../domain/alerts.ts";

export type { AlertEvent, AlertKind, AlertRules } from "../domain/alerts.ts";
export { ALERT_KINDS, alertRulesOf, DEFAULT_ALERT_RULES } from "../domain/alerts.ts";

export interface AlertsOptions {
  store: Store;
  rules: AlertRules;
  /** OPENROUTER_SCOUT_WEBHOOK_URLS, already validated. Secrets. */
  webhookUrls: readonly string[];
  log: (message: string) => void;
  fetch?: typeof fetch;
  now?: () => number;
  /** How often the server looks for deliveries due for a retry (default 30 s). */
  retryIntervalMs?: number;
  /** Passed to the dispatcher (tests shorten the backoff). */
  delivery?: Partial<Omit<DispatcherOptions, "store" | "targets" | "log" | "fetch" | "now">>;
}

export interface Alerts {
  /** How many webhook targets are configured. */
  readonly targets: number;
  /** Records what the latest scan changed and sends it; returns at once, never throws. */
  afterScan(): void;
  /** Starts the timer that retries failed deliveries (the server). */
  start(): void;
  /** Resolves when the work started so far (rules pass and deliveries) is done. */
  settle(): Promise<void>;
  /** Settles, then delivers what is due for up to `ms` (`deno task scan` before it exits). */
  flush(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export async function createAlerts(opts: AlertsOptions): Promise<Alerts> {
  const now = opts.now ?? (() => Date.now());
  const targets = await webhookTargets(opts.webhookUrls);
  const dispatcher = createDispatcher({
    ...opts.delivery,
    store: opts.store,
    targets,
    log: opts.log,
    fetch: opts.fetch,
    now,
  });
  await dispatcher.init();
  const holder = leaseHolder();
  let chain: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopped = false;

  const onEvents = (events: AlertEvent[]) => {
    for (const line of alertLogLines(events)) opts.log(line);
    if (events.length > 0) dispatcher.kick();
  };

  return {
    targets: targets.length,
    afterScan() {
      if (stopped) return;
      chain = chain
        .then(() => runAlertPass(opts.store, opts.rules, now(), holder))
        .then(onEvents)
        .catch((err) => opts.log(`alerts: ${(err as Error).message}`));
    },
    start() {
      if (targets.length === 0 || timer !== undefined) return;
      dispatcher.kick();
      timer = setInterval(() => dispatcher.kick(), opts.retryIntervalMs ?? 30_000);
    },
    async settle() {
      await chain;
      await dispatcher.idle();
    },
    async flush(ms) {
      await chain;
      await dispatcher.flush(ms);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await chain;
      await dispatcher.stop();
    },
  };
}
