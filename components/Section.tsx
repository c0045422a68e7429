/** A titled block of a page; the id makes it linkable and labels it for screen readers. */
import type { ComponentChildren } from "preact";

export interface SectionProps {
  id: string;
  title: string;
  /** A line under the title. */
  intro?: ComponentChildren;
  /** Controls shown beside the title (range links …). */
  aside?: ComponentChildren;
  children: ComponentChildren;
}

export function Section({ id, title, intro, aside, children }: SectionProps) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} class="space-y-3">
      <div class="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h2 id={`${id}-title`} class="text-lg font-semibold">{title}</h2>
          {intro && <p class="text-sm text-slate-600 dark:text-slate-400">{intro}</p>}
        </div>
        {aside}
      </div>
      {children}
    </section>
  );
}
