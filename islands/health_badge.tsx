/**
 * The status badge of a model's health, shared by the ModelTable island and the server
 * pages. A dot plus a word: the colour is never the only signal.
 */
import type { Health } from "../lib/stats/types.ts";

export const HEALTH_LABEL: Record<Health, string> = {
  healthy: "Healthy",
  degraded: "Degraded",
  down: "Down",
  no_data: "No data",
};

/** Sort rank: the most serious first when ascending. */
export const HEALTH_RANK: Record<Health, number> = {
  down: 0,
  degraded: 1,
  healthy: 2,
  no_data: 3,
};

const BADGE_CLASS: Record<Health, string> = {
  healthy: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  degraded: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  down: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  no_data: "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300",
};

const DOT_CLASS: Record<Health, string> = {
  healthy: "bg-emerald-500",
  degraded: "bg-amber-500",
  down: "bg-red-500",
  no_data: "bg-slate-400",
};

export function HealthBadge({ health }: { health: Health }) {
  return (
    <span
      class={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ${
        BADGE_CLASS[health]
      }`}
    >
      <span class={`size-2 rounded-full ${DOT_CLASS[health]}`} aria-hidden="true" />
      {HEALTH_LABEL[health]}
    </span>
  );
}
