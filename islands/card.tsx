/**
 * A stat card of the dashboard (shared by server components and the LiveStatus island, so
 * they look alike): a small title, a big value, and a line or two of detail.
 */
import type { ComponentChildren } from "preact";

export interface CardProps {
  title: string;
  /** The big value. */
  value: ComponentChildren;
  /** Tailwind text colour classes for the value. */
  tone?: string;
  children?: ComponentChildren;
  class?: string;
}

export function Card({ title, value, tone, children, class: cls }: CardProps) {
  return (
    <section
      class={`min-w-0 rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900 ${
        cls ?? ""
      }`}
    >
      <h2 class="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">
        {title}
      </h2>
      <p class={`mt-1 text-2xl font-semibold tabular-nums ${tone ?? ""}`}>{value}</p>
      {children && (
        <div class="mt-1 space-y-0.5 break-words text-sm text-slate-600 dark:text-slate-400">
          {children}
        </div>
      )}
    </section>
  );
}
