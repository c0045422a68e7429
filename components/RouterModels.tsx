/**
 * The models the router used: since the start (served, failed, breaker) and over the range
 * (stored traffic checks), and the breakers open now. Model ids are OpenRouter's (untrusted):
 * rendered as Preact text, linked through modelHref.
 */
import type { RouterReport } from "../lib/web/router_report.ts";
import { modelHref, plural } from "../islands/format.ts";
import { UtcTime } from "../islands/time_ago.tsx";

const TD = "px-3 py-1.5 align-top";
const NUM = `${TD} text-right tabular-nums whitespace-nowrap`;
const HEAD =
  "bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400";

export const BREAKER_TEXT: Record<string, string> = {
  closed: "closed",
  open: "open: skipped until its cool-down ends",
  half_open: "half-open: one trial request",
};

const BREAKER_TONE: Record<string, string> = {
  closed: "text-emerald-700 dark:text-emerald-400",
  open: "text-red-700 dark:text-red-400",
  half_open: "text-amber-700 dark:text-amber-400",
};

interface Row {
  model_id: string;
  served: number | null;
  failed: number | null;
  breaker: string | null;
  attempts: number;
  ok: number;
  failedInRange: number;
}

export function RouterModels({ report }: { report: RouterReport }) {
  const rows = new Map<string, Row>();
  const row = (id: string) => {
    let r = rows.get(id);
    if (!r) {
      r = {
        model_id: id,
        served: null,
        failed: null,
        breaker: null,
        attempts: 0,
        ok: 0,
        failedInRange: 0,
      };
      rows.set(id, r);
    }
    return r;
  };
  for (const m of report.per_model) {
    Object.assign(row(m.model_id), { served: m.served, failed: m.failed, breaker: m.breaker });
  }
  for (const m of report.history.by_model) {
    Object.assign(row(m.model_id), { attempts: m.attempts, ok: m.ok, failedInRange: m.failed });
  }
  for (const b of report.open_breakers) row(b.model_id).breaker = b.state;
  const span = report.history.range === "24h" ? "24 h" : "7 d";

  return (
    <div class="space-y-3">
      {report.open_breakers.length > 0 && (
        <ul class="space-y-1 text-sm" data-open-breakers>
          {report.open_breakers.map((b) => (
            <li key={b.model_id}>
              <a class="font-medium underline" href={modelHref(b.model_id)}>{b.model_id}</a>
              {": "}
              <span class={BREAKER_TONE[b.state]}>{BREAKER_TEXT[b.state]}</span>
              {` after ${plural(b.failures, "failure")} in a row`}
              {b.since && (
                <>
                  {", since "}
                  <UtcTime at={b.since} />
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {rows.size === 0
        ? <p class="text-sm text-slate-600 dark:text-slate-400">No model has been routed to yet.</p>
        : (
          <div class="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
            <table class="w-full min-w-[40rem] text-left text-sm" data-router-models>
              <caption class="sr-only">Models the router used</caption>
              <thead class={HEAD}>
                <tr>
                  <th scope="col" class={TD}>Model</th>
                  <th scope="col" class={`${TD} text-right`}>Served (since start)</th>
                  <th scope="col" class={`${TD} text-right`}>Failed (since start)</th>
                  <th scope="col" class={`${TD} text-right`}>Attempts ({span})</th>
                  <th scope="col" class={`${TD} text-right`}>Answered ({span})</th>
                  <th scope="col" class={TD}>Breaker</th>
                </tr>
              </thead>
              <tbody class="divide-y divide-slate-200 dark:divide-slate-800">
                {[...rows.values()].map((r) => (
                  <tr key={r.model_id}>
                    <th scope="row" class={`${TD} font-normal`}>
                      <a class="break-all underline" href={modelHref(r.model_id)}>{r.model_id}</a>
                    </th>
                    <td class={NUM}>{r.served ?? "—"}</td>
                    <td class={NUM}>{r.failed ?? "—"}</td>
                    <td class={NUM}>{r.attempts}</td>
                    <td class={NUM}>{r.ok}</td>
                    <td class={`${TD} ${r.breaker ? BREAKER_TONE[r.breaker] ?? "" : ""}`}>
                      {r.breaker ?? "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </div>
  );
}
