import { parseFlags, SERVE_FLAGS } from "../config/flags.ts";
import { loadConfig } from "../config/load.ts";
import { closeDeadRuns, openConfiguredStore, openRouterOf } from "./setup.ts";
import { endpointStatsJobOf } from "./endpoint_stats_job.ts";
import { createLog } from "../log.ts";
import { onStopSignals } from "./stop_signals.ts";
import { createAlerts } from "../alerts/mod.ts";
import { alertRulesOf } from "../domain/alerts.ts";
import { createQuotaPlanner } from "../planner/service.ts";
import { scanSettingsOf } from "../scan/settings.ts";
import type { CronRegister } from "../schedule/cron.ts";
import { createScheduler } from "../schedule/scheduler.ts";
import { timingOf } from "../config/timing.ts";
import { createApp } from "../../routes/app.ts";
import { loadAssets } from "../web/manifest.ts";
import { readDataVersion } from "../db/data_version.ts";
import { routingOf } from "./router_setup.ts";
import { scheduledCapabilities } from "./capability_setup.ts";
import { startRouterCounters } from "./router_counters.ts";

export const SERVE_USAGE =
  `Usage: deno task start [--host H] [--port P] [--env-file PATH] [--db-path PATH]

Serves the dashboard and the JSON API, and scans on a schedule (OPENROUTER_SCOUT_INTERVAL_HOURS
or OPENROUTER_SCOUT_CRON). Without OPENROUTER_API_KEY it serves what is stored and does not scan.`;

/**
 * What a platform's entry changes (deploy.ts for Deno Deploy): it registers the cron job itself
 * at its top level, and never scans at start (an instance starts on every cold request there).
 */
export interface ServePlatform {
  cron?: CronRegister;
  scanOnStart?: boolean;
  /** Called once the scheduler has started (its cron job registered, if scanning is on). */
  onStarted?: () => void;
}

/** `main.ts serve`: runs until SIGINT/SIGTERM, then shuts down cleanly; returns the exit code. */
export async function serveCommand(args: string[], platform: ServePlatform = {}): Promise<number> {
  const flags = parseFlags(args, SERVE_FLAGS);
  if (flags.help) {
    console.log(SERVE_USAGE);
    return 0;
  }
  const config = await loadConfig({ flags: flags.values, envFile: flags.envFile });
  const log = createLog([
    config.apiKey,
    config.databaseAuthToken,
    config.adminToken,
    config.routerToken,
    ...config.webhookUrls,
  ]);

  try {
    await loadAssets();
  } catch (err) {
    log(`error: the web assets are not built (${(err as Error).message}); run \`deno task build\``);
    return 1;
  }

  const store = await openConfiguredStore(config, log);
  if (!store) return 1;

  await closeDeadRuns(store, log);
  const openrouter = config.apiKey ? openRouterOf(config) : null;
  // Alerts are recorded and sent in the background after each scan; the quota planner reads
  // the key's tier and the schedule (and, with SPREAD_CHECKS, picks each slot's models).
  const alerts = await createAlerts({
    store,
    rules: alertRulesOf(config),
    webhookUrls: config.webhookUrls,
    log,
  });
  // One pacer for the process: routed requests (/v1) first, the scheduler's probes after.
  const routing = routingOf(config, store, log);
  const planner = createQuotaPlanner({
    store,
    getKey: openrouter ? (signal) => openrouter.getKey(signal) : null,
    settings: scanSettingsOf(config),
    timing: timingOf(config),
    spread: config.spreadChecks,
    log,
    // The day's count: the latest GET /key reading and what the shared pacer granted since.
    quota: routing.probesPacer.quota,
    capabilityIntervalHours: config.capabilityIntervalHours,
  });
  // OpenRouter's endpoint stats: read in the background after a scan, those due only.
  const endpointStats = openrouter ? endpointStatsJobOf(config, store, openrouter, log) : null;
  const scheduler = createScheduler({
    store,
    openrouter,
    pacer: routing.probesPacer,
    onScanEnd: (outcome) => {
      alerts.afterScan();
      endpointStats?.kick(outcome.results.map((r) => r.model_id), outcome.run_id);
      // The catalog may have grown: warn (once) if the schedule no longer fits the quota.
      planner.check({ quiet: true }).catch((err) =>
        log(`quota planner: ${(err as Error).message}`)
      );
    },
    spread: config.spreadChecks ? { turn: () => planner.spreadTurn() } : null,
    // Capability checks after each scheduled scan, from what the health probes leave.
    settings: {
      ...scanSettingsOf(config),
      capabilities: scheduledCapabilities(config, planner, routing.probesPacer.quota),
    },
    timing: timingOf(config),
    retentionDays: config.retentionDays,
    scanOnStart: platform.scanOnStart ?? config.scanOnStart,
    cron: platform.cron,
    log,
  });
  const app = createApp(
    {
      store,
      scanner: scheduler,
      now: () => Date.now(),
      adminToken: config.adminToken,
      // Without a key nothing is scanned, so no quota is spent: the dashboard shows no plan.
      quota: openrouter ? () => planner.plan() : undefined,
      // Pages and the API are rendered once per data change (lib/web/response_cache.ts).
      dataVersion: () => readDataVersion(store.client),
      // GET /api/router, /router and /metrics: the router's counters since this start.
      router: routing.router ? { stats: () => routing.router!.stats(), since: Date.now() } : null,
    },
    log,
    routing.v1,
  );

  const shutdown = new AbortController();
  let server: Deno.HttpServer;
  try {
    server = Deno.serve({
      hostname: config.webHost,
      port: config.webPort,
      signal: shutdown.signal,
      onListen: ({ hostname, port }) => {
        const shown = hostname === "0.0.0.0" ? "localhost" : hostname;
        log(`Scouter is serving on http://${shown}:${port}/`);
      },
    }, app.fetch);
  } catch (err) {
    log(`error: cannot listen on ${config.webHost}:${config.webPort}: ${(err as Error).message}`);
    store.close();
    return 1;
  }

  const stopListening = onStopSignals({
    stop: () => {
      log("shutting down (again to quit at once)");
      shutdown.abort();
    },
  });

  // The router's requests and failovers per hour, stored so /router has history across restarts.
  const routerCounters = routing.router
    ? startRouterCounters({ stats: () => routing.router!.stats(), store, log })
    : null;
  await scheduler.start();
  alerts.start();
  if (openrouter) planner.check().catch((err) => log(`quota planner: ${(err as Error).message}`));
  platform.onStarted?.();
  await server.finished;
  await scheduler.stop();
  await routing.router?.flush();
  await routerCounters?.stop();
  await endpointStats?.stop();
  await alerts.stop();
  store.close();
  stopListening();
  log("stopped");
  return 0;
}
