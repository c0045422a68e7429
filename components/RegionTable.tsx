/**
 * "Latency by region": what scanners in different places measured of one model, side by side
 * (OPENROUTER_SCOUT_REGION). The lowest median latency is marked.
 */
import type { RegionStats } from "../lib/stats/regions.ts";
import { formatCount, formatMs, formatUptime } from "../islands/format.ts";
import { TimeAgo } from "../islands/time_ago.tsx";

const TD = "px-3 py-1.5 align-top";
const NUM = `${TD} text-right tabular-nums whitespace-nowrap`;

/** The name shown for a region; untagged checks come from scanners without one. */
export function regionLabel(region: string | null): string {
  return region ?? "untagged";
}

export function RegionTable({ regions, now }: { regions: RegionStats[]; now: number }) {
  const medians = regions.map((r) => r.p50_latency_ms).filter((v): v is number => v !== null);
  const fastest = medians.length > 1 ? Math.min(...medians) : null;
  return (
    <div class="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table class="w-full min-w-[40rem] text-left text-sm">
        <caption class="sr-only">Latency, time to first token and uptime by scanner region</caption>
        <thead class="bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400">
          <tr>
            <th scope="col" class={TD}>Region</th>
            <th scope="col" class={`${TD} text-right`}>Checks</th>
            <th scope="col" class={`${TD} text-right`}>Uptime</th>
            <th scope="col" class={`${TD} text-right`}>p50 latency</th>
            <th scope="col" class={`${TD} text-right`}>p95 latency</th>
            <th scope="col" class={`${TD} text-right`}>p50 TTFT</th>
            <th scope="col" class={`${TD} text-right`}>p95 TTFT</th>
            <th scope="col" class={TD}>Last check</th>
          </tr>
        </thead>
        <tbody class="divide-y divide-slate-200 dark:divide-slate-800">
          {regions.map((r) => (
            <tr key={r.region ?? ""} data-region={regionLabel(r.region)}>
              <th
                scope="row"
                class={`${TD} font-medium ${
                  r.region === null ? "italic text-slate-500 dark:text-slate-400" : ""
                }`}
              >
                {regionLabel(r.region)}
              </th>
              <td class={NUM}>{formatCount(r.checks)}</td>
              <td class={NUM}>{formatUptime(r.uptime)}</td>
              <td
                class={`${NUM} ${
                  fastest !== null && r.p50_latency_ms === fastest
                    ? "font-semibold text-emerald-700 dark:text-emerald-400"
                    : ""
                }`}
              >
                {formatMs(r.p50_latency_ms)}
              </td>
              <td class={NUM}>{formatMs(r.p95_latency_ms)}</td>
              <td class={NUM}>{formatMs(r.p50_ttft_ms)}</td>
              <td class={NUM}>{formatMs(r.p95_ttft_ms)}</td>
              <td class={`${TD} whitespace-nowrap text-slate-600 dark:text-slate-400`}>
                {r.last_checked_at ? <TimeAgo at={r.last_checked_at} now={now} /> : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
