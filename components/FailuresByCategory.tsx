/** A model's failed checks over a range, by category, largest first, with a bar each. */
import type { FailureStatus, RangeStats } from "../lib/stats/types.ts";
import { CATEGORY_TEXT } from "../lib/stats/labels.ts";
import { CATEGORY_COLOR } from "./chart_options.ts";
import { Swatch } from "./Swatch.tsx";

export function FailuresByCategory({ stats }: { stats: RangeStats }) {
  const rows = (Object.entries(stats.failures_by_category) as [FailureStatus, number][])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  if (rows.length === 0) {
    return (
      <p class="text-sm text-slate-600 dark:text-slate-400">
        {stats.checks ? "No failed check in this range." : "No measured check in this range."}
      </p>
    );
  }
  const max = rows[0][1];
  return (
    <div class="overflow-x-auto">
      <table class="w-full min-w-[28rem] text-left text-sm">
        <caption class="sr-only">Failed checks by category</caption>
        <thead class="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
          <tr>
            <th scope="col" class="py-1 pr-3 font-semibold">Category</th>
            <th scope="col" class="py-1 pr-3 text-right font-semibold">Checks</th>
            <th scope="col" class="py-1 pr-3 text-right font-semibold">Of failures</th>
            <th scope="col" class="w-1/3 py-1 font-semibold">
              <span class="sr-only">Bar</span>
            </th>
          </tr>
        </thead>
        <tbody class="divide-y divide-slate-200 dark:divide-slate-800">
          {rows.map(([category, n]) => (
            <tr key={category}>
              <th scope="row" class="py-1.5 pr-3 font-normal">
                <span class="inline-flex items-center gap-2">
                  <Swatch color={CATEGORY_COLOR[category]} />
                  {CATEGORY_TEXT[category]}
                  <code class="text-xs text-slate-500 dark:text-slate-400">{category}</code>
                </span>
              </th>
              <td class="py-1.5 pr-3 text-right tabular-nums">{n}</td>
              <td class="py-1.5 pr-3 text-right tabular-nums">
                {Math.round((n / stats.failed) * 100)} %
              </td>
              <td class="py-1.5">
                <svg
                  viewBox="0 0 100 8"
                  preserveAspectRatio="none"
                  class="h-2 w-full"
                  aria-hidden="true"
                >
                  <rect width={(n / max) * 100} height="8" rx="1" fill={CATEGORY_COLOR[category]} />
                </svg>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
