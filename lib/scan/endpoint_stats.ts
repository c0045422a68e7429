/**
 * OpenRouter's own stats for each model (GET …/endpoints), read on their own cadence: at most
 * once per model per OPENROUTER_SCOUT_ENDPOINT_STATS_INTERVAL_HOURS, in the background after a
 * scan, never inside one. They are not inference requests (no pacer, no free quota), change
 * slowly, and are context for the probes, not the measurement: so a scan's result, its exit and
 * the next scan never wait for them. A failure is counted and logged once, never fatal.
 */
import { insertEndpointFetches, lastEndpointFetchTimes } from "../db/endpoint_stats.ts";
import type { EndpointFetch } from "../db/endpoint_stats.ts";
import type { Store } from "../db/store.ts";
import type { EndpointsFetcher } from "../openrouter/endpoints.ts";
import type { Clock } from "./clock.ts";

export const DEFAULT_ENDPOINT_STATS_CONCURRENCY = 8;
const MAX_CONCURRENCY = 32;
/** Fetches written per transaction: one commit per group, not per model. */
const WRITE_GROUP = 50;
/**
 * How much earlier than a whole interval a model is due again: a refresh that follows an hourly
 * scan reads stats a few seconds after the hour, and without this the next one (an hour later,
 * a few seconds short) would wait for the scan after, every model read every other hour.
 */
const MAX_SLACK_MS = 5 * 60_000;

export interface EndpointStatsOptions {
  fetcher: EndpointsFetcher;
  store: Store;
  clock: Clock;
  /** The interval in ms; 0 (or less) turns endpoint stats off. */
  intervalMs: number;
  /** How long one GET may take. */
  timeoutMs: number;
  log: (message: string) => void;
  /** GETs in flight at once (default 8, at most 32). */
  concurrency?: number;
}

export interface RefreshReport {
  /** Models due when the refresh began. */
  due: number;
  stored: number;
  failed: number;
}

/** Hours from the setting → the interval in ms. */
export function endpointStatsIntervalMs(hours: number): number {
  return Math.max(0, Math.round(hours * 3_600_000));
}

/**
 * The models among `modelIds` whose stats are due at `now`: never read first, then the
 * longest unread.
 */
export function dueModels(
  modelIds: readonly string[],
  lastFetched: ReadonlyMap<string, number>,
  now: number,
  intervalMs: number,
): string[] {
  if (intervalMs <= 0) return [];
  const slack = Math.min(MAX_SLACK_MS, intervalMs / 10);
  const ids = [...new Set(modelIds)];
  return ids
    .filter((id) => {
      const last = lastFetched.get(id);
      return last === undefined || now - last >= intervalMs - slack;
    })
    .sort((a, b) => (lastFetched.get(a) ?? -Infinity) - (lastFetched.get(b) ?? -Infinity));
}

/** Reads and stores the stats of the due models among `modelIds`. Never rejects. */
export async function refreshEndpointStats(
  opts: EndpointStatsOptions,
  modelIds: readonly string[],
  signal: AbortSignal,
  runId: number | null = null,
): Promise<RefreshReport> {
  if (opts.intervalMs <= 0 || modelIds.length === 0) return { due: 0, stored: 0, failed: 0 };
  let due: string[];
  try {
    const last = await lastEndpointFetchTimes(opts.store.client, modelIds);
    due = dueModels(modelIds, last, opts.clock.now(), opts.intervalMs);
  } catch (err) {
    opts.log(
      `OpenRouter's endpoint stats: cannot read when they were last fetched: ${
        (err as Error).message
      }`,
    );
    return { due: 0, stored: 0, failed: 0 };
  }

  let next = 0;
  let stored = 0;
  let failed = 0;
  let firstError: string | null = null;
  let pending: EndpointFetch[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    const group = pending;
    pending = [];
    if (group.length === 0) return writing;
    writing = writing
      .then(() => insertEndpointFetches(opts.store.client, group))
      .then(() => void (stored += group.length), (err) => {
        failed += group.length;
        firstError ??= (err as Error).message;
      });
    return writing;
  };
  const worker = async () => {
    while (next < due.length && !signal.aborted) {
      const id = due[next++];
      try {
        const endpoints = await opts.fetcher(
          id,
          AbortSignal.any([signal, AbortSignal.timeout(opts.timeoutMs)]),
        );
        pending.push({ model_id: id, run_id: runId, fetched_at: opts.clock.now(), endpoints });
        if (pending.length >= WRITE_GROUP) await flush();
      } catch (err) {
        if (signal.aborted) break;
        failed++;
        firstError ??= (err as Error).message;
      }
    }
  };
  const n = Math.max(
    1,
    Math.min(opts.concurrency ?? DEFAULT_ENDPOINT_STATS_CONCURRENCY, MAX_CONCURRENCY, due.length),
  );
  await Promise.all(Array.from({ length: n }, worker));
  // What was read before a stop is kept.
  await flush();
  const left = due.length - stored - failed;
  if (failed > 0 || left > 0) {
    opts.log(
      `OpenRouter's endpoint stats: ${stored} of ${due.length} due model(s) read` +
        (failed > 0 ? `, ${failed} failed (${firstError})` : "") +
        (left > 0 ? `, ${left} left for the next time (stopped)` : ""),
    );
  }
  return { due: due.length, stored, failed };
}

/** One refresh at a time in the background; what is asked meanwhile runs after it. */
export interface EndpointStatsJob {
  /** Refreshes the due models among `modelIds` in the background; returns at once. */
  kick(modelIds: readonly string[], runId?: number | null): void;
  /** Resolves when nothing runs or waits. */
  idle(): Promise<void>;
  /** Lets the work go on for up to `graceMs`, then stops it; resolves once it has stopped. */
  stop(graceMs?: number): Promise<void>;
}

export function createEndpointStatsJob(opts: EndpointStatsOptions): EndpointStatsJob {
  const abort = new AbortController();
  let queued: { ids: Set<string>; runId: number | null } | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  const run = async () => {
    while (queued && !abort.signal.aborted) {
      const { ids, runId } = queued;
      queued = null;
      await refreshEndpointStats(opts, [...ids], abort.signal, runId);
    }
    running = null;
  };

  const idle = async () => {
    while (running) await running;
  };
  return {
    kick(modelIds, runId = null) {
      if (stopped || opts.intervalMs <= 0 || modelIds.length === 0) return;
      queued ??= { ids: new Set(), runId };
      for (const id of modelIds) queued.ids.add(id);
      queued.runId = runId;
      running ??= run();
    },
    idle,
    async stop(graceMs = 0) {
      stopped = true;
      if (running && graceMs > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const deadline = new Promise<void>((r) => timer = setTimeout(r, graceMs));
        await Promise.race([idle(), deadline]);
        clearTimeout(timer);
      }
      abort.abort();
      await idle();
    },
  };
}
