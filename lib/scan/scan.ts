import type { Store } from "../db/store.ts";
import { explainStoreError } from "../db/errors.ts";
import { filterModels, freeModels } from "../openrouter/catalog.ts";
import type { CatalogModel, KeyInfo } from "../openrouter/types.ts";
import type { CheckResult, RunTrigger, SkipReason } from "../domain/check.ts";
import { detectIncident } from "./incident.ts";
import type { Clock } from "./clock.ts";
import { HEARTBEAT_MS } from "./liveness.ts";
import { catalogLines } from "./catalog_lines.ts";
import { createPacer, type Pacer } from "./pacer.ts";
import { keptBackOf, keptBackText } from "./quota.ts";
import { type ChatFn, probeModel, type ScanStop, skipped } from "./probe.ts";
import {
  type CapabilityRoundReport,
  type CapabilityRoundSettings,
  runCapabilityRound,
} from "./capabilities/round.ts";
import { observeReasoning } from "./capabilities/reasoning.ts";
import { recentTrafficMeasurements } from "../db/router.ts";
import {
  splitTrafficMeasured,
  trafficMeasuredLine,
  type TrafficMeasurement,
} from "./traffic_measured.ts";

/** The outcome of a scan, as `--json` prints it (CONTRACT) plus what callers need. */
export type ScanStatus = "completed" | "quota_exhausted" | "aborted" | "failed";

export interface ScanOutcome {
  run_id: number;
  status: ScanStatus;
  started_at: string;
  finished_at: string;
  /** Why the scan failed or stopped early; null when it completed. */
  error: string | null;
  /** Most models failing alike at once: OpenRouter's trouble (lib/scan/incident.ts); else null. */
  incident: string | null;
  results: CheckResult[];
  /** Selected models routed traffic measured recently: not probed, no check written. */
  traffic_measured: TrafficMeasurement[];
  /** The capability round after the probes (lib/scan/capabilities/round.ts); null: none ran. */
  capabilities?: CapabilityRoundReport | null;
}

export interface ScanSettings {
  prompt: string;
  timeoutSeconds: number;
  maxRetries: number;
  concurrency: number;
  requestDelaySeconds: number;
  rpm: number;
  modelIdContains: string[];
  maxModels: number | null;
  /** OPENROUTER_SCOUT_REGION: stored on the run and each of its checks; unset means untagged. */
  region?: string | null;
  /** Only these exact ids (the spread schedule's turn, lib/planner/spread.ts); unset: all. */
  onlyModelIds?: readonly string[] | null;
  /** OPENROUTER_SCOUT_QUOTA_RESERVE: free requests a UTC day left to the user's own apps. */
  quotaReserve?: number;
  /**
   * OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE when the router is on (else 0): probes leave
   * ceil(share × the day's limit) requests to routed traffic (lib/scan/quota.ts).
   */
  trafficShare?: number;
  /**
   * A model with a telling traffic check in the last this many minutes is not probed
   * (lib/scan/traffic_measured.ts); 0 or unset probes every selected model.
   */
  trafficFreshMinutes?: number;
  /** `scan --model ID …`: exactly these ids, each probed even if traffic measured it. */
  explicitModelIds?: readonly string[] | null;
  /** A capability round after the health probes (scheduled, `scan --capabilities`); unset: none. */
  capabilities?: CapabilityRoundSettings | null;
}

export interface ScanProgress {
  done: number;
  total: number;
  ok: number;
  failed: number;
  skipped: number;
  startedAt: number;
}

/** What the scan needs from OpenRouter: three calls (endpoint stats run on their own cadence). */
export interface OpenRouterPort {
  listModels(signal?: AbortSignal): Promise<CatalogModel[]>;
  getKey(signal?: AbortSignal): Promise<KeyInfo>;
  chat: ChatFn;
}

export interface ScanDeps {
  openrouter: OpenRouterPort;
  store: Store;
  clock: Clock;
  random?: () => number;
  log?: (message: string) => void;
  onProgress?: (progress: ScanProgress) => void;
  /** Aborting ends the scan promptly: unmeasured models are recorded `skipped`. */
  signal?: AbortSignal;
  trigger?: RunTrigger;
  /** First backoff step; tests shorten it. */
  backoffBaseMs?: number;
  /** The shared pacer; by default one built from the settings (tests observe their own). */
  pacer?: Pacer;
  /** Called once the run is recorded, with its id. */
  onStart?: (runId: number) => void;
  /** How long GET /models may take (default: the request timeout, at least 30 s); tests shorten it. */
  catalogTimeoutMs?: number;
}

/**
 * Free requests a day: GET /key's `free_model_daily_requests.limit`; without it the tier's
 * guess, 50 on a free account and 1000 once 10 credits were bought.
 */
export function dailyFreeBudget(key: KeyInfo): number {
  if (key.free_model_daily_requests) return key.free_model_daily_requests.limit;
  return key.is_free_tier === false ? 1000 : 50;
}

/**
 * One scan: the catalog, then every selected free model probed and each check stored the
 * moment it ends, then the run closed with its status.
 */
export async function runScan(settings: ScanSettings, deps: ScanDeps): Promise<ScanOutcome> {
  const { store, clock } = deps;
  const startedAt = clock.now();
  const runId = await store.startRun({
    trigger: deps.trigger ?? "cli",
    started_at: startedAt,
    pid: Deno.pid,
    host: hostname(),
    region: settings.region ?? null,
  });
  deps.onStart?.(runId);
  const results: CheckResult[] = [];
  const trafficMeasured: TrafficMeasurement[] = [];
  // Real time on purpose: other processes judge liveness by the wall clock.
  const heartbeat = setInterval(() => {
    store.heartbeat(runId, Date.now()).catch((err) =>
      deps.log?.(`heartbeat failed: ${err.message}`)
    );
  }, HEARTBEAT_MS);
  let end: RunEnd;
  try {
    end = await scanModels(runId, settings, deps, results, trafficMeasured);
  } catch (err) {
    // A store write failed mid-scan: what was written stays; the run says why it ended.
    end = { status: "failed", error: `scan stopped: ${explainStoreError(err)}` };
  } finally {
    clearInterval(heartbeat);
  }
  const finishedAt = clock.now();
  await store.finishRun(runId, {
    ...end,
    finished_at: finishedAt,
    traffic_measured: trafficMeasured.length,
  });
  return {
    run_id: runId,
    status: end.status,
    started_at: new Date(startedAt).toISOString(),
    finished_at: new Date(finishedAt).toISOString(),
    error: end.error,
    incident: end.incident ?? null,
    results,
    traffic_measured: trafficMeasured,
    capabilities: end.capabilities ?? null,
  };
}

interface RunEnd {
  status: ScanStatus;
  error: string | null;
  incident?: string | null;
  capabilities?: CapabilityRoundReport | null;
}

async function scanModels(
  runId: number,
  settings: ScanSettings,
  deps: ScanDeps,
  results: CheckResult[],
  trafficMeasured: TrafficMeasurement[],
): Promise<RunEnd> {
  const { store, clock, openrouter } = deps;
  const log = deps.log ?? (() => {});
  const signal = deps.signal ?? new AbortController().signal;
  const stop: ScanStop = { reason: null, detail: null };
  const timeoutMs = settings.timeoutSeconds * 1000;

  const pacer = deps.pacer ?? createPacer({
    rpm: settings.rpm,
    delayMs: settings.requestDelaySeconds * 1000,
    clock,
  });
  pacer.quota.setReserve(settings.quotaReserve ?? 0);
  pacer.quota.setTrafficShare(settings.trafficShare ?? 0);
  const readKey = async (): Promise<KeyInfo> => {
    const info = await openrouter.getKey(
      AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    );
    if (info.free_model_daily_requests) {
      pacer.quota.record(info.free_model_daily_requests, clock.now());
    }
    return info;
  };

  let key: KeyInfo | null = null;
  try {
    key = await readKey();
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 401 || status === 402) {
      stop.reason = status === 401 ? "auth" : "payment";
      stop.detail = `OpenRouter refused the key (HTTP ${status} on GET /key)`;
    } else {
      log(`could not read the key's limits (GET /key): ${(err as Error).message}`);
    }
  }

  let selected: CatalogModel[];
  // `--model X`: exactly these, whatever the filters, and probed even when traffic measured them.
  const explicit = new Set(settings.explicitModelIds ?? []);
  try {
    const catalog = await openrouter.listModels(
      AbortSignal.any([
        signal,
        AbortSignal.timeout(deps.catalogTimeoutMs ?? Math.max(timeoutMs, 30_000)),
      ]),
    );
    const free = freeModels(catalog);
    if (free.length === 0) {
      return { status: "failed", error: "the catalog lists no free models; nothing was changed" };
    }
    const diff = await store.syncCatalog(free, clock.now(), runId);
    for (const line of catalogLines(diff, free.length)) log(line);
    const textModels = free.filter(answersInText);
    selected = filterModels(textModels, {
      idContains: settings.modelIdContains,
      maxModels: settings.maxModels,
    });
    if (settings.onlyModelIds) {
      const only = new Set(settings.onlyModelIds);
      selected = selected.filter((m) => only.has(m.id));
    }
    if (explicit.size > 0) {
      selected = textModels.filter((m) => explicit.has(m.id));
      const missing = [...explicit].filter((id) => !selected.some((m) => m.id === id));
      if (missing.length > 0) {
        log(`not a free text model in the catalog, not checked: ${missing.join(", ")}`);
      }
    }
    const notText = free.length - textModels.length;
    log(
      `${free.length} free models in the catalog, ${selected.length} selected` +
        (notText > 0 ? ` (${notText} without text output not checked)` : ""),
    );
  } catch (err) {
    if (signal.aborted) return { status: "aborted", error: "stopped before the catalog was read" };
    return {
      status: "failed",
      error: `could not read the model catalog: ${(err as Error).message}`,
    };
  }
  const freshMinutes = settings.trafficFreshMinutes ?? 0;
  if (freshMinutes > 0 && selected.length > 0) {
    const recent = await recentTrafficMeasurements(
      store.client,
      clock.now() - freshMinutes * 60_000,
    );
    const split = splitTrafficMeasured(selected, recent, explicit);
    if (split.measured.length > 0) {
      selected = split.probe;
      trafficMeasured.push(...split.measured);
      log(trafficMeasuredLine(split.measured, freshMinutes));
    }
  }
  await store.setRunTotal(runId, selected.length);
  if (key) logBudget(key, pacer.quota.left(clock.now()), selected.length, settings, log);

  const progress: ScanProgress = {
    done: 0,
    total: selected.length,
    ok: 0,
    failed: 0,
    skipped: 0,
    startedAt: clock.now(),
  };
  const record = async (check: CheckResult) => {
    await store.insertCheck(runId, check);
    results.push(check);
    progress.done++;
    if (check.status === "ok") progress.ok++;
    else if (check.status === "skipped") progress.skipped++;
    else progress.failed++;
    deps.onProgress?.({ ...progress });
  };

  const reasoningSeen = new Set<string>();
  const ctx = {
    // Reasoning in a probe's answer is a verified capability, at no extra request.
    chat: settings.capabilities
      ? observeReasoning(openrouter.chat, reasoningSeen)
      : openrouter.chat,
    pacer,
    clock,
    random: deps.random ?? Math.random,
    prompt: settings.prompt,
    timeoutMs,
    maxRetries: settings.maxRetries,
    backoffBaseMs: deps.backoffBaseMs ?? 1_000,
    stop,
    signal,
    log,
    recheckKey: keyRechecker(readKey, clock, log),
  };

  let next = 0;
  const worker = async () => {
    while (next < selected.length) {
      const model = selected[next++];
      const check = stop.reason
        ? skipped(model.id, ctx, stop.reason)
        : await probeModel(model, ctx);
      await record(check);
    }
  };
  const workers = Array.from(
    { length: Math.min(settings.concurrency, Math.max(1, selected.length)) },
    worker,
  );
  // Every worker runs to its end (each check is stored as it finishes) before a failure
  // is reported.
  const settled = await Promise.allSettled(workers);
  const crash = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (crash) throw crash.reason;

  const incident = await recordIncident(runId, results, store, log);
  // Capabilities after the health probes, from what the quota has left; not after a stop.
  const capabilities = settings.capabilities && !signal.aborted && !stop.reason
    ? await runCapabilityRound(
      {
        models: selected,
        failedProbes: new Set(results.filter((r) => r.status !== "ok").map((r) => r.model_id)),
        reasoningSeen,
        runId,
      },
      settings.capabilities,
      // Its own stop: the quota running out during the round does not change the run's status.
      { ...ctx, store, stop: { reason: null, detail: null } },
    )
    : null;
  if (signal.aborted) {
    return { status: "aborted", error: "stopped before every model was checked", incident };
  }
  if (key && stop.reason !== "auth" && stop.reason !== "payment") await readKeyAfter(readKey, log);
  return { status: statusFor(stop.reason), error: stop.detail, incident, capabilities };
}

/** Most models failing alike at once: those checks become OpenRouter's fault, the run says so. */
async function recordIncident(
  runId: number,
  results: CheckResult[],
  store: Store,
  log: (m: string) => void,
): Promise<string | null> {
  const incident = detectIncident(results);
  if (!incident) return null;
  const ids = new Set(incident.modelIds);
  for (const r of results) if (ids.has(r.model_id)) r.fault = "openrouter";
  await store.setChecksFault(runId, incident.modelIds, "openrouter");
  log(incident.text);
  return incident.text;
}

/** GET /key after the scan: the day's count as OpenRouter has it now, for the next scan. */
async function readKeyAfter(readKey: () => Promise<KeyInfo>, log: (m: string) => void) {
  try {
    const q = (await readKey()).free_model_daily_requests;
    if (q) log(`free-model requests left today: ${q.remaining} of ${q.limit}`);
  } catch (err) {
    log(`could not read the key's limits after the scan (GET /key): ${(err as Error).message}`);
  }
}

/** How long one GET /key re-check answers for every 401 that arrives meanwhile. */
const RECHECK_REUSE_MS = 10_000;

/**
 * After a chat 401, GET /key again: false only when it refuses the key too (401/402). One
 * re-check at a time, its answer reused for a few seconds, so a burst of 401s costs one.
 */
function keyRechecker(
  readKey: () => Promise<KeyInfo>,
  clock: Clock,
  log: (m: string) => void,
): () => Promise<boolean> {
  let last: { at: number; answer: Promise<boolean> } | null = null;
  return () => {
    const now = clock.now();
    if (last && now - last.at < RECHECK_REUSE_MS) return last.answer;
    const answer = readKey().then(
      () => {
        log("a chat request got 401 but GET /key accepts the key: OpenRouter's trouble, going on");
        return true;
      },
      (err) => {
        const status = (err as { status?: number }).status;
        return status !== 401 && status !== 402;
      },
    );
    last = { at: now, answer };
    return answer;
  };
}

/**
 * A text prompt can only be answered by a model that outputs text: zero-priced music or
 * image generators (e.g. `google/lyria-3-*`) stay in the catalog but are not checked.
 */
function answersInText(model: CatalogModel): boolean {
  return model.output_modalities.length === 0 || model.output_modalities.includes("text");
}

function logBudget(
  key: KeyInfo,
  left: number | null,
  models: number,
  settings: ScanSettings,
  log: (m: string) => void,
) {
  const budget = dailyFreeBudget(key);
  const sends = `this scan sends ${models} to ${models * (1 + settings.maxRetries)}`;
  const q = key.free_model_daily_requests;
  if (q && left !== null) {
    const kept = keptBackOf(q.limit, settings.quotaReserve ?? 0, settings.trafficShare ?? 0);
    const why = keptBackText(kept);
    log(
      `daily free-model quota: ${q.remaining} of ${q.limit} requests left today (GET /key)` +
        (why ? `, ${kept.reserve + kept.traffic} kept back: ${why}` : "") + `; ${sends}`,
    );
    if (models > left) {
      log(`warning: only ${left} requests may be sent; the models beyond are skipped (quota)`);
    }
    return;
  }
  const tier = key.is_free_tier === false ? "credits bought" : "free tier";
  log(`daily free-model budget: ${budget} requests (${tier}, estimated); ${sends}`);
  if (models > budget) log(`warning: ${models} models exceed the daily budget of ${budget}`);
}

function statusFor(reason: SkipReason | null): ScanStatus {
  if (reason === null) return "completed";
  if (reason === "quota") return "quota_exhausted";
  if (reason === "shutdown") return "aborted";
  return "failed";
}

function hostname(): string | undefined {
  try {
    return Deno.hostname();
  } catch {
    return undefined;
  }
}
