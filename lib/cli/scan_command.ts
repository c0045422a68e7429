import { ConfigError } from "../config/errors.ts";
import { parseFlags, SCAN_FLAGS } from "../config/flags.ts";
import { loadConfig } from "../config/load.ts";
import { closeDeadRuns, openConfiguredStore, openRouterOf } from "./setup.ts";
import { explainStoreError } from "../db/errors.ts";
import { createLog, printable, redact } from "../log.ts";
import { onStopSignals } from "./stop_signals.ts";
import { createPacer } from "../scan/pacer.ts";
import { type Alerts, createAlerts } from "../alerts/mod.ts";
import { alertRulesOf } from "../domain/alerts.ts";
import { systemClock } from "../scan/clock.ts";
import { leaseHolder, type LeaseOutcome, scanLeaseName, withScanLease } from "../scan/lease.ts";
import { runScan, type ScanOutcome } from "../scan/scan.ts";
import { scanSettingsOf } from "../scan/settings.ts";
import { checkLine, formatDuration, progressLine } from "./progress.ts";
import { endpointStatsJobOf } from "./endpoint_stats_job.ts";
import { onDemandCapabilities } from "./capability_setup.ts";
import { capabilitiesJson } from "./capability_report.ts";
import type { EndpointStatsJob } from "../scan/endpoint_stats.ts";

export const SCAN_USAGE = `Usage: deno task scan [flags]

Checks every free OpenRouter model once (or --repeat-count times) and stores the results.

  --env-file PATH                 read settings from PATH instead of ./.env
  --db-path PATH                  SQLite file (default results/scouter.db)
  --timeout-seconds N             per-request timeout (default 20)
  --max-retries N                 retries for transient failures (default 2)
  --concurrency N                 checks in flight at once (default 2)
  --request-delay-seconds S       least time between two requests (default 0.3)
  --max-models N                  check at most N models
  --model-id-contains A [B …]     only models whose id contains any of these
  --model ID [ID …]               exactly these models (ids as in the catalog), each probed
                                  even when routed traffic measured it recently
  --prompt TEXT                   the health-check prompt (alias --healthcheck-prompt)
  --repeat-count N                run N scans (default 1)
  --repeat-interval-minutes M     wait M minutes between scans (default 0)
  --fail-if-none-ok               exit 3 when no model answered correctly
  --capabilities                  after the health probes, check every capability the catalog
                                  claims (tools, JSON, vision) now, whatever the interval
  --json                          print the result as JSON on stdout; logs go to stderr
  --allow-concurrent              scan even while another scan runs on this database
                                  (by default a second scan exits 1)

Exit codes: 0 done, 1 the scan could not run, 2 bad usage or configuration,
3 --fail-if-none-ok and no model answered.`;

/** How long a CLI scan waits, before it exits, for its alerts to reach the webhooks. */
const ALERT_FLUSH_MS = 10_000;
/**
 * How long, after the results are printed, a CLI scan goes on reading the endpoint stats that
 * are due before it exits; the rest are due at the next scan (or read by a server).
 */
export const ENDPOINT_STATS_GRACE_MS = 2_000;

/** Exit code for an outcome, per CONTRACT. */
export function exitCodeFor(outcomes: ScanOutcome[], failIfNoneOk: boolean): number {
  if (outcomes.some((o) => o.status === "failed")) return 1;
  if (outcomes.some((o) => o.status === "aborted")) return 130;
  if (failIfNoneOk && !outcomes.some((o) => o.results.some((r) => r.status === "ok"))) return 3;
  return 0;
}

/** `main.ts scan …`: returns the process exit code. */
export async function scanCommand(args: string[]): Promise<number> {
  const flags = parseFlags(args, SCAN_FLAGS);
  if (flags.help) {
    console.log(SCAN_USAGE);
    return 0;
  }
  const config = await loadConfig({ flags: flags.values, envFile: flags.envFile });
  if (!config.apiKey) {
    throw new ConfigError(
      "OPENROUTER_API_KEY is not set (put it in .env or the environment); scanning needs it",
    );
  }
  const secrets = [
    config.apiKey,
    config.databaseAuthToken,
    config.adminToken,
    ...config.webhookUrls,
  ];
  const log = createLog(secrets);
  const interactive = !flags.json && Deno.stderr.isTerminal();

  const outcomes: ScanOutcome[] = [];
  const startedAt = new Date().toISOString();
  /** Says why no scan could run; with --json that is still the one object on stdout. */
  const cannotRun = (error: string): number => {
    log(`error: ${error}`);
    if (flags.json && outcomes.length === 0) {
      console.log(redact(JSON.stringify(failedPayload(startedAt, error)), secrets));
    }
    return 1;
  };

  let openError = "cannot open the database";
  const store = await openConfiguredStore(config, (m) => openError = m.replace(/^error: /, ""));
  if (!store) return cannotRun(openError);

  const controller = new AbortController();
  const stopListening = onStopSignals({
    stop: () => {
      log("stopping: finishing the checks in flight (Ctrl-C again to quit at once)");
      controller.abort();
    },
  });

  let alerts: Alerts | null = null;
  let endpointStats: EndpointStatsJob | null = null;
  try {
    await closeDeadRuns(store, log);
    const client = openRouterOf(config);
    // A CLI scan records alert events too (GET /api/events, the feed), and sends them when
    // OPENROUTER_SCOUT_WEBHOOK_URLS is set here; what it could not send, the server retries.
    alerts = await createAlerts({
      store,
      rules: alertRulesOf(config),
      webhookUrls: config.webhookUrls,
      log,
    });
    endpointStats = endpointStatsJobOf(config, store, client, log);
    const holder = leaseHolder();
    // Shared by the --repeat-count scans: each continues the last minute's count.
    const pacer = createPacer({
      rpm: config.rpm,
      delayMs: config.requestDelaySeconds * 1000,
      clock: systemClock,
    });
    const settings = {
      ...scanSettingsOf(config),
      explicitModelIds: flags.models.length > 0 ? flags.models : null,
      capabilities: flags.capabilities ? onDemandCapabilities(config) : null,
    };
    for (let i = 0; i < config.repeatCount && !controller.signal.aborted; i++) {
      if (i > 0 && config.repeatIntervalMinutes > 0) {
        log(`next scan in ${formatDuration(config.repeatIntervalMinutes * 60_000)}`);
        await systemClock.sleep(config.repeatIntervalMinutes * 60_000, controller.signal);
        if (controller.signal.aborted) break;
      }
      // --allow-concurrent: no lease taken, none waited for (the user asked for two scans).
      const guarded = <T>(scan: () => Promise<T>): Promise<LeaseOutcome<T>> =>
        flags.allowConcurrent
          ? scan().then((value) => ({ acquired: true as const, value }))
          : withScanLease(store, holder, scan, log, scanLeaseName(config.region));
      const leased = await guarded(() =>
        runScan(settings, {
          openrouter: client,
          store,
          clock: systemClock,
          pacer,
          log: (m) => {
            if (interactive) clearLine();
            log(m);
          },
          signal: controller.signal,
          trigger: "cli",
          onProgress: (p) => {
            if (interactive) {
              clearLine();
              Deno.stderr.writeSync(new TextEncoder().encode(progressLine(p, Date.now())));
            }
          },
        })
      );
      if (interactive) clearLine();
      if (!leased.acquired) {
        return cannotRun(
          `another scan is running on this database (${
            leased.heldBy?.holder ?? "unknown holder"
          }); try again when it ends, or pass --allow-concurrent`,
        );
      }
      const outcome = leased.value;
      outcomes.push(outcome);
      alerts.afterScan();
      report(outcome, flags.json, secrets);
      // After the result is out, in the background: neither it nor the next scan waits.
      endpointStats?.kick(outcome.results.map((r) => r.model_id), outcome.run_id);
    }
    // Cron-driven `scan` users have no server to prune for them.
    if (config.retentionDays > 0) {
      const pruned = await store.pruneChecks({
        retentionDays: config.retentionDays,
        now: Date.now(),
        signal: controller.signal,
      });
      if (pruned.deleted > 0) log(`retention: pruned ${pruned.deleted} raw checks`);
    }
  } catch (err) {
    return cannotRun(explainStoreError(err));
  } finally {
    stopListening();
    await Promise.all([
      endpointStats?.stop(controller.signal.aborted ? 0 : ENDPOINT_STATS_GRACE_MS),
      alerts?.flush(ALERT_FLUSH_MS),
    ]);
    await alerts?.stop();
    store.close();
  }
  return exitCodeFor(outcomes, config.failIfNoneOk);
}

/** The `--json` object of a scan that could not run at all: no run, no results. */
function failedPayload(startedAt: string, error: string) {
  return {
    run_id: null,
    status: "failed",
    started_at: startedAt,
    finished_at: new Date().toISOString(),
    error,
    results: [],
  };
}

/** `--json`: the CONTRACT object on stdout, one per scan. Otherwise a line per check. */
function report(outcome: ScanOutcome, json: boolean, secrets: (string | null)[]) {
  if (json) {
    const payload = {
      run_id: outcome.run_id,
      status: outcome.status,
      started_at: outcome.started_at,
      finished_at: outcome.finished_at,
      error: outcome.error,
      incident: outcome.incident,
      results: outcome.results.map((r) => ({
        model_id: r.model_id,
        ok: r.status === "ok",
        status: r.status,
        http_status: r.http_status,
        latency_ms: r.latency_ms,
        ttft_ms: r.ttft_ms,
        attempts: r.attempts,
        output_tokens: r.output_tokens,
        tokens_per_second: r.tokens_per_second,
        provider: r.provider,
        error: r.error,
        skip_reason: r.skip_reason,
        fault: r.fault ?? null,
        ...capabilitiesJson.of(outcome, r.model_id),
      })),
      // Not probed: routed traffic measured them recently (their traffic check stands).
      traffic_measured: outcome.traffic_measured.map((m) => ({
        model_id: m.model_id,
        checked_at: new Date(m.checked_at).toISOString(),
        status: m.status,
      })),
    };
    console.log(
      redact(JSON.stringify({ ...payload, ...capabilitiesJson.round(outcome) }), secrets),
    );
    return;
  }
  const lines = outcome.results.map((r) => printable(checkLine(r)));
  const ok = outcome.results.filter((r) => r.status === "ok").length;
  const skippedCount = outcome.results.filter((r) => r.status === "skipped").length;
  lines.push(
    `run ${outcome.run_id} ${outcome.status}: ${ok}/${outcome.results.length} ok` +
      (skippedCount > 0 ? `, ${skippedCount} skipped` : "") +
      (outcome.traffic_measured.length > 0
        ? `, ${outcome.traffic_measured.length} measured by routed traffic (not probed)`
        : "") +
      (outcome.error ? ` — ${printable(outcome.error)}` : "") +
      (outcome.incident ? ` — ${printable(outcome.incident)}` : ""),
  );
  console.log(redact(lines.join("\n"), secrets));
}

function clearLine() {
  Deno.stderr.writeSync(new TextEncoder().encode("\r\x1b[K"));
}
