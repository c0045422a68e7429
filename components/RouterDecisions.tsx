/**
 * The latest routed requests, newest first: the route (each model tried and its outcome, as
 * the X-Scouter-Route header), attempts, outcome and time. No prompt, no answer: the router
 * never keeps them.
 */
import type { RouterReport } from "../lib/web/router_report.ts";
import { formatMs, plural } from "../islands/format.ts";
import { TimeAgo, UtcTime } from "../islands/time_ago.tsx";

const TD = "px-3 py-1.5 align-top";
const NUM = `${TD} text-right tabular-nums whitespace-nowrap`;

export const OUTCOME_TEXT: Record<string, string> = {
  answered: "answered",
  client_error: "the request was refused (4xx)",
  account_limit: "account limit (429)",
  key_rejected: "the API key was refused",
  exhausted: "no model answered",
  aborted: "the client went away",
};

export function RouterDecisions(
  { decisions, now }: { decisions: RouterReport["last_decisions"]; now: number },
) {
  if (decisions.length === 0) {
    return <p class="text-sm text-slate-600 dark:text-slate-400">No request routed yet.</p>;
  }
  return (
    <div class="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table class="w-full min-w-[48rem] text-left text-sm" data-router-decisions>
        <caption class="sr-only">
          The latest {plural(decisions.length, "routed request")}, newest first
        </caption>
        <thead class="bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400">
          <tr>
            <th scope="col" class={TD}>Time</th>
            <th scope="col" class={TD}>Outcome</th>
            <th scope="col" class={TD}>Route</th>
            <th scope="col" class={`${TD} text-right`}>Attempts</th>
            <th scope="col" class={`${TD} text-right`}>Time taken</th>
            <th scope="col" class={TD}>Mode</th>
          </tr>
        </thead>
        <tbody class="divide-y divide-slate-200 dark:divide-slate-800">
          {decisions.map((d, i) => (
            <tr key={`${d.at}-${i}`}>
              <th scope="row" class={`${TD} whitespace-nowrap font-normal`}>
                <UtcTime at={d.at} />
                <div class="text-xs text-slate-500 dark:text-slate-400">
                  <TimeAgo at={d.at} now={now} />
                </div>
              </th>
              <td
                class={`${TD} whitespace-nowrap ${
                  d.outcome === "answered"
                    ? "text-emerald-700 dark:text-emerald-400"
                    : "text-red-700 dark:text-red-400"
                }`}
              >
                {OUTCOME_TEXT[d.outcome] ?? d.outcome}
                {d.model && <div class="text-xs break-all">{d.model}</div>}
              </td>
              <td class={`${TD} max-w-md`}>
                {d.route.length === 0 ? "—" : (
                  <ol class="space-y-0.5">
                    {d.route.map((s, j) => (
                      <li key={j} class="break-all">
                        <span class="font-mono text-xs">{s.model}</span>{" "}
                        <span
                          class={s.outcome === "ok"
                            ? "text-emerald-700 dark:text-emerald-400"
                            : "text-slate-600 dark:text-slate-400"}
                        >
                          {s.outcome}
                        </span>
                      </li>
                    ))}
                  </ol>
                )}
              </td>
              <td class={NUM}>{d.attempts}</td>
              <td class={NUM}>{formatMs(d.total_ms)}</td>
              <td class={TD}>{d.stream ? "streamed" : "JSON"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
