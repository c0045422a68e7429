/**
 * OpenRouter's own numbers for a model, per endpoint (provider), beside Scouter's: OpenRouter
 * measures all traffic to the endpoint; Scouter measures its own checks. Both can be right.
 */
import type { StoredEndpointFetch } from "../lib/db/endpoint_stats.ts";
import type { RangeStats } from "../lib/stats/types.ts";
import { formatMs, formatUptime } from "../islands/format.ts";
import { TimeAgo } from "../islands/time_ago.tsx";

const TD = "px-3 py-1.5";
const NUM = `${TD} text-right tabular-nums whitespace-nowrap`;

/** OpenRouter's EndpointStatus values (0 normal; negative: degraded or offline). */
function statusText(s: number | null): string {
  if (s === null) return "—";
  return s === 0 ? "normal" : `degraded (${s})`;
}

function tps(v: number | null | undefined): string {
  return v == null ? "—" : `${Math.round(v)} tok/s`;
}

export function OpenRouterStats(
  { fetch, ours, now }: { fetch: StoredEndpointFetch | null; ours: RangeStats; now: number },
) {
  if (!fetch) {
    return (
      <p class="text-sm text-slate-600 dark:text-slate-400">
        Not read yet: each scan reads OpenRouter's stats for every model it checks.
      </p>
    );
  }
  return (
    <div class="space-y-2 text-sm">
      <p class="text-slate-600 dark:text-slate-400">
        Read <TimeAgo at={new Date(fetch.fetched_at).toISOString()} now={now} />{" "}
        from OpenRouter (all traffic to each endpoint). Scouter's own checks over 24 h:{" "}
        <span class="tabular-nums">
          {formatUptime(ours.uptime)} uptime, time to first token p50{" "}
          {formatMs(ours.p50_ttft_ms)}, latency p50 {formatMs(ours.p50_latency_ms)}
        </span>.
      </p>
      {fetch.endpoints.length === 0
        ? <p>OpenRouter lists no endpoint serving this model.</p>
        : (
          <div class="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
            <table class="w-full min-w-[40rem] text-left text-sm">
              <caption class="sr-only">OpenRouter's stats per endpoint</caption>
              <thead class="bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400">
                <tr>
                  <th scope="col" class={TD}>Provider</th>
                  <th scope="col" class={TD}>Status</th>
                  <th scope="col" class={`${TD} text-right`}>Uptime 30 min</th>
                  <th scope="col" class={`${TD} text-right`}>Uptime 1 d</th>
                  <th scope="col" class={`${TD} text-right`}>TTFT p50 / p90</th>
                  <th scope="col" class={`${TD} text-right`}>Throughput p50</th>
                </tr>
              </thead>
              <tbody class="divide-y divide-slate-200 dark:divide-slate-800">
                {fetch.endpoints.map((e, i) => (
                  <tr key={`${e.tag ?? e.provider_name ?? ""}-${i}`}>
                    <th scope="row" class={`${TD} font-normal`}>
                      {e.provider_name ?? e.tag ?? "—"}
                      {e.quantization && (
                        <span class="ml-1 text-xs text-slate-500 dark:text-slate-400">
                          {e.quantization}
                        </span>
                      )}
                    </th>
                    <td class={TD}>{statusText(e.status)}</td>
                    <td class={NUM}>{formatUptime(e.uptime_30m)}</td>
                    <td class={NUM}>{formatUptime(e.uptime_1d)}</td>
                    <td class={NUM}>
                      {formatMs(e.latency_ms?.p50 ?? null)} / {formatMs(e.latency_ms?.p90 ?? null)}
                    </td>
                    <td class={NUM}>{tps(e.throughput_tps?.p50)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </div>
  );
}
