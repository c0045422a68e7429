/**
 * During a scan, OpenRouter's own stats for each selected model (GET …/endpoints), fetched
 * beside the probes: outside the chat pacer (they are not inference requests and spend no free
 * quota), two at a time, each with the scan's timeout. A failure is counted and logged once,
 * never fatal: these numbers are context, the probes are the measurement.
 */
import { insertEndpointFetch } from "../db/endpoint_stats.ts";
import type { Store } from "../db/store.ts";
import type { EndpointsFetcher } from "../openrouter/endpoints.ts";
import type { Clock } from "./clock.ts";

export interface EndpointStatsJob {
  fetcher: EndpointsFetcher;
  store: Store;
  runId: number;
  modelIds: readonly string[];
  clock: Clock;
  timeoutMs: number;
  signal: AbortSignal;
  log: (message: string) => void;
  concurrency?: number;
}

/** Never rejects. Resolves with how many models were stored and how many failed. */
export async function collectEndpointStats(
  job: EndpointStatsJob,
): Promise<{ stored: number; failed: number }> {
  let next = 0;
  let stored = 0;
  let failed = 0;
  let firstError: string | null = null;
  const worker = async () => {
    while (next < job.modelIds.length && !job.signal.aborted) {
      const id = job.modelIds[next++];
      try {
        const endpoints = await job.fetcher(
          id,
          AbortSignal.any([job.signal, AbortSignal.timeout(job.timeoutMs)]),
        );
        await insertEndpointFetch(job.store.client, {
          model_id: id,
          run_id: job.runId,
          fetched_at: job.clock.now(),
          endpoints,
        });
        stored++;
      } catch (err) {
        if (job.signal.aborted) break;
        failed++;
        firstError ??= (err as Error).message;
      }
    }
  };
  const n = Math.max(1, Math.min(job.concurrency ?? 2, job.modelIds.length));
  await Promise.all(Array.from({ length: n }, worker));
  if (failed > 0) {
    job.log(
      `OpenRouter's endpoint stats: ${stored} model(s) read, ${failed} failed (${firstError})`,
    );
  }
  return { stored, failed };
}
