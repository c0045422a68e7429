import type { Store } from "../db/store.ts";
import { filterModels, freeModels } from "../openrouter/catalog.ts";
import type { CatalogModel, KeyInfo } from "../openrouter/types.ts";
import type { CheckResult, RunTrigger, SkipReason } from "./check.ts";
import type { Clock } from "./clock.ts";
import { createPacer } from "./pacer.ts";
import { type ChatFn, probeModel, type ScanStop, skipped } from "./probe.ts";

/** The outcome of a scan, as `--json` prints it (CONTRACT) plus what callers need. */
export type ScanStatus = "completed" | "quota_exhausted" | "aborted" | "failed";

export interface ScanOutcome {
  run_id: number;
  status: ScanStatus;
  started_at: string;
  finished_at: string;
  /** Why the scan failed or stopped early; null when it completed. */
  error: string | null;
  results: CheckResult[];
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
}

export interface ScanProgress {
  done: number;
  total: number;
  ok: number;
  failed: number;
  skipped: number;
  startedAt: number;
}

/** What the scan needs from OpenRouter: three calls, nothing else. */
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
}

/** Free requests a day: 50 on a free account, 1000 once 10 credits were bought. */
export function dailyFreeBudget(key: KeyInfo): number {
  return key.is_free_tier === false ? 1000 : 50;
}

/**
 * One scan: the catalog, then every selected free model probed and each check stored the
 * moment it ends, then the run closed with its status.
 */
export async function runScan(settings: ScanSettings, deps: ScanDeps): Promise<ScanOutcome> {
  const { store, clock, openrouter } = deps;
  const log = deps.log ?? (() => {});
  const signal = deps.signal ?? new AbortController().signal;
  const startedAt = clock.now();
  const runId = await store.startRun({
    trigger: deps.trigger ?? "cli",
    started_at: startedAt,
    pid: Deno.pid,
    host: hostname(),
  });
  const results: CheckResult[] = [];
  const finish = async (status: ScanStatus, error: string | null): Promise<ScanOutcome> => {
    const finishedAt = clock.now();
    await store.finishRun(runId, { status, finished_at: finishedAt, error });
    return {
      run_id: runId,
      status,
      started_at: new Date(startedAt).toISOString(),
      finished_at: new Date(finishedAt).toISOString(),
      error,
      results,
    };
  };

  const stop: ScanStop = { reason: null, detail: null };
  const timeoutMs = settings.timeoutSeconds * 1000;

  let key: KeyInfo | null = null;
  try {
    key = await openrouter.getKey(AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]));
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
  try {
    const catalog = await openrouter.listModels(
      AbortSignal.any([signal, AbortSignal.timeout(Math.max(timeoutMs, 30_000))]),
    );
    const free = freeModels(catalog);
    if (free.length === 0) {
      return await finish("failed", "the catalog lists no free models; nothing was changed");
    }
    const diff = await store.syncCatalog(free, clock.now(), runId);
    for (const id of diff.added) log(`new free model: ${id}`);
    for (const id of diff.returned) log(`free model back: ${id}`);
    for (const id of diff.removed) log(`free model gone: ${id}`);
    selected = filterModels(free, {
      idContains: settings.modelIdContains,
      maxModels: settings.maxModels,
    });
    log(`${free.length} free models in the catalog, ${selected.length} selected`);
  } catch (err) {
    if (signal.aborted) return await finish("aborted", "stopped before the catalog was read");
    return await finish("failed", `could not read the model catalog: ${(err as Error).message}`);
  }
  await store.setRunTotal(runId, selected.length);

  if (key) {
    const budget = dailyFreeBudget(key);
    const worst = selected.length * (1 + settings.maxRetries);
    log(
      `daily free-model budget: ${budget} requests (${
        key.is_free_tier === false ? "credits bought" : "free tier"
      }); this scan sends ${selected.length} to ${worst}`,
    );
    if (selected.length > budget) {
      log(`warning: ${selected.length} models exceed the daily budget of ${budget}`);
    }
  }

  const progress: ScanProgress = {
    done: 0,
    total: selected.length,
    ok: 0,
    failed: 0,
    skipped: 0,
    startedAt,
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

  const ctx = {
    chat: openrouter.chat,
    pacer: createPacer({
      rpm: settings.rpm,
      delayMs: settings.requestDelaySeconds * 1000,
      clock,
    }),
    clock,
    random: deps.random ?? Math.random,
    prompt: settings.prompt,
    timeoutMs,
    maxRetries: settings.maxRetries,
    backoffBaseMs: deps.backoffBaseMs ?? 1_000,
    stop,
    signal,
    log,
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
  const settled = await Promise.allSettled(workers);
  const crash = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (crash) {
    // A store write failed: what was written stays; the run says why it ended.
    return await finish("failed", `scan stopped: ${(crash.reason as Error).message}`);
  }

  if (signal.aborted) return await finish("aborted", "stopped before every model was checked");
  return await finish(statusFor(stop.reason), stop.detail);
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
