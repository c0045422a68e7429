/** Links that pick a range (`?range=7d`): plain navigation, no JavaScript. */
import { type Range, RANGES } from "../lib/stats/types.ts";

export const RANGE_LABEL: Record<Range, string> = {
  "24h": "24 hours",
  "7d": "7 days",
  "30d": "30 days",
  "90d": "90 days",
  "1y": "1 year",
};

/** The tabs of `ranges` (the history's by default; the router page has its own two). */
export function RangeTabs<R extends string = Range>(
  { current, href, ranges = RANGES as readonly string[] as readonly R[] }: {
    current: R;
    href: (r: R) => string;
    ranges?: readonly R[];
  },
) {
  return (
    <nav aria-label="Range" class="flex gap-1 text-sm">
      {ranges.map((r) => (
        <a
          key={r}
          href={href(r)}
          aria-current={r === current ? "true" : undefined}
          class={`rounded-md px-2.5 py-1 ${
            r === current
              ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900"
              : "text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
          }`}
        >
          {r}
        </a>
      ))}
    </nav>
  );
}
