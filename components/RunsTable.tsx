/** The scan history: one row per run, newest first. */
import type { RunSummary } from "../lib/stats/types.ts";
import { formatDuration } from "../islands/format.ts";
import { RunStatusBadge } from "../islands/run_status_badge.tsx";
import { TimeAgo, UtcTime } from "../islands/time_ago.tsx";

const TD = "px-3 py-2 align-top";
const NUM = `${TD} text-right tabular-nums`;

export function RunsTable({ runs, now }: { runs: RunSummary[]; now: number }) {
  if (runs.length === 0) {
    return (
      <p class="rounded-lg border border-dashed border-slate-300 p-6 text-sm dark:border-slate-700">
        No scan has run yet.
      </p>
    );
  }
  return (
    <div class="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table class="w-full min-w-[52rem] text-left text-sm">
        <caption class="sr-only">Scans, newest first</caption>
        <thead class="bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400">
          <tr>
            <th scope="col" class={`${TD} text-right`}>#</th>
            <th scope="col" class={TD}>Started</th>
            <th scope="col" class={`${TD} text-right`}>Duration</th>
            <th scope="col" class={TD}>Trigger</th>
            <th scope="col" class={TD}>Status</th>
            <th scope="col" class={`${TD} text-right`}>Models</th>
            <th scope="col" class={`${TD} text-right`}>OK</th>
            <th scope="col" class={`${TD} text-right`}>Failed</th>
            <th scope="col" class={`${TD} text-right`}>Skipped</th>
            <th scope="col" class={TD}>Error</th>
          </tr>
        </thead>
        <tbody class="divide-y divide-slate-200 dark:divide-slate-800">
          {runs.map((r) => (
            <tr key={r.id}>
              <th scope="row" class={`${NUM} font-normal`}>{r.id}</th>
              <td class={`${TD} whitespace-nowrap`}>
                <UtcTime at={r.started_at} />
                <div class="text-xs text-slate-500 dark:text-slate-400">
                  <TimeAgo at={r.started_at} now={now} />
                </div>
              </td>
              <td class={`${NUM} whitespace-nowrap`}>
                {r.finished_at
                  ? formatDuration(Date.parse(r.finished_at) - Date.parse(r.started_at))
                  : r.status === "running"
                  ? "running"
                  : "—"}
              </td>
              <td class={TD}>{r.trigger}</td>
              <td class={TD}>
                <RunStatusBadge status={r.status} />
              </td>
              <td class={NUM}>
                {r.total_models ?? "—"}
                {r.traffic_measured > 0 && (
                  <div class="text-xs text-slate-500 dark:text-slate-400" data-traffic-measured>
                    +{r.traffic_measured} measured by routed traffic, not probed
                  </div>
                )}
              </td>
              <td class={`${NUM} text-emerald-700 dark:text-emerald-400`}>{r.ok_count}</td>
              <td class={`${NUM} ${r.failed_count ? "text-red-700 dark:text-red-400" : ""}`}>
                {r.failed_count}
              </td>
              <td class={NUM}>{r.skipped_count}</td>
              <td class={`${TD} max-w-sm break-words text-slate-600 dark:text-slate-400`}>
                {r.incident && (
                  <span class="block font-medium text-amber-700 dark:text-amber-400" data-incident>
                    {r.incident} (OpenRouter's trouble, not the models')
                  </span>
                )}
                {r.error ?? ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
