/**
 * A model's latest checks, newest first: every measurement and error text, and who measured
 * each: a scan's probe, or a request routed through /v1 ("routed").
 */
import type { HistoryPoint } from "../lib/stats/types.ts";
import { CATEGORY_TEXT } from "../lib/stats/labels.ts";
import { formatMs, plural } from "../islands/format.ts";
import { TimeAgo, UtcTime } from "../islands/time_ago.tsx";

const STATUS_TONE = (p: HistoryPoint) =>
  p.status === "ok"
    ? "text-emerald-700 dark:text-emerald-400"
    : p.status === "skipped"
    ? "text-slate-500 dark:text-slate-400"
    : "text-red-700 dark:text-red-400";

const TD = "px-3 py-1.5 align-top";
const NUM = `${TD} text-right tabular-nums whitespace-nowrap`;

export function RecentChecks({ checks, now }: { checks: HistoryPoint[]; now: number }) {
  if (checks.length === 0) {
    return <p class="text-sm text-slate-600 dark:text-slate-400">No checks yet.</p>;
  }
  return (
    <div class="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table class="w-full min-w-[48rem] text-left text-sm">
        <caption class="sr-only">The latest {plural(checks.length, "check")}, newest first</caption>
        <thead class="bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400">
          <tr>
            <th scope="col" class={TD}>Time</th>
            <th scope="col" class={TD}>Source</th>
            <th scope="col" class={TD}>Status</th>
            <th scope="col" class={`${TD} text-right`}>HTTP</th>
            <th scope="col" class={`${TD} text-right`}>Latency</th>
            <th scope="col" class={`${TD} text-right`}>TTFT</th>
            <th scope="col" class={`${TD} text-right`}>Attempts</th>
            <th scope="col" class={TD}>Provider</th>
            <th scope="col" class={TD}>Error</th>
          </tr>
        </thead>
        <tbody class="divide-y divide-slate-200 dark:divide-slate-800">
          {checks.map((p, i) => (
            // Routed checks share one run and may share a millisecond: the position keeps keys apart.
            <tr key={`${p.run_id}-${p.run_datetime}-${i}`}>
              <th scope="row" class={`${TD} whitespace-nowrap font-normal`}>
                <UtcTime at={p.run_datetime} />
                <div class="text-xs text-slate-500 dark:text-slate-400">
                  <TimeAgo at={p.run_datetime} now={now} />
                </div>
              </th>
              <td class={TD}>
                <SourceMarker source={p.source} />
              </td>
              <td class={`${TD} whitespace-nowrap ${STATUS_TONE(p)}`}>
                <span class="font-medium">{p.status_label}</span>
                <div class="text-xs">{CATEGORY_TEXT[p.status] ?? p.status}</div>
              </td>
              <td class={NUM}>{p.http_status ?? "—"}</td>
              <td class={NUM}>{formatMs(p.latency_ms)}</td>
              <td class={NUM}>{formatMs(p.ttft_ms)}</td>
              <td class={NUM}>{p.attempts}</td>
              <td class={TD}>{p.provider ?? "—"}</td>
              <td class={`${TD} max-w-sm break-words text-slate-600 dark:text-slate-400`}>
                {p.error ?? (p.skip_reason ? `skipped: ${p.skip_reason}` : "")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "probe" (a scan) or "routed" (a request through /v1), as a small tag. */
export function SourceMarker({ source }: { source: HistoryPoint["source"] }) {
  const routed = source === "traffic";
  return (
    <span
      data-source={source}
      title={routed ? "A request routed through /v1" : "A scan's probe"}
      class={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${
        routed
          ? "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300"
          : "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300"
      }`}
    >
      {routed ? "routed" : "probe"}
    </span>
  );
}
