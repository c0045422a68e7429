/** A point in time: "5 min ago" (relative to the page's `now`), the UTC time on hover. */
import { formatRelative, formatUtc } from "./format.ts";

export function TimeAgo({ at, now }: { at: string | null; now: number }) {
  if (at === null) return <span class="text-slate-400 dark:text-slate-500">never</span>;
  return <time datetime={at} title={formatUtc(at)}>{formatRelative(at, now)}</time>;
}

/** An absolute UTC time, for tables: "2026-11-27 10:00 UTC". */
export function UtcTime({ at }: { at: string | null }) {
  if (at === null) return <span class="text-slate-400 dark:text-slate-500">—</span>;
  return <time datetime={at}>{formatUtc(at)}</time>;
}
