/** A highlighted message box: `info` (neutral) or `warning` (scanning off, …). */
import type { ComponentChildren } from "preact";

const TONE = {
  info:
    "border-sky-200 bg-sky-50 text-sky-950 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-100",
  warning:
    "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100",
};

export interface NoticeProps {
  tone?: keyof typeof TONE;
  title: string;
  children: ComponentChildren;
}

export function Notice({ tone = "info", title, children }: NoticeProps) {
  return (
    <div
      role={tone === "warning" ? "status" : undefined}
      class={`space-y-1.5 rounded-lg border p-4 text-sm ${TONE[tone]}`}
    >
      <p class="font-semibold">{title}</p>
      {children}
    </div>
  );
}

/** Inline code, for commands and variable names. */
export function Code({ children }: { children: ComponentChildren }) {
  return (
    <code class="rounded bg-black/5 px-1 py-0.5 font-mono text-[0.85em] dark:bg-white/10">
      {children}
    </code>
  );
}
