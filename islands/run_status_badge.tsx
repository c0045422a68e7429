/** A scan run's status as a coloured word. */
import type { RunStatus } from "../lib/domain/check.ts";

const RUN_STATUS: Record<RunStatus, { label: string; class: string }> = {
  running: { label: "running", class: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300" },
  completed: {
    label: "completed",
    class: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  },
  quota_exhausted: {
    label: "quota exhausted",
    class: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  },
  aborted: {
    label: "aborted",
    class: "bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  },
  interrupted: {
    label: "interrupted",
    class: "bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  },
  failed: { label: "failed", class: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300" },
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  const s = RUN_STATUS[status] ?? { label: String(status), class: "" };
  return (
    <span
      class={`inline-block whitespace-nowrap rounded px-1.5 py-px text-xs font-medium ${s.class}`}
    >
      {s.label}
    </span>
  );
}
