/**
 * A status-page strip: one bar per UTC day, coloured by that day's uptime, grey where nothing
 * was measured (saying why: quota, no scan, an OpenRouter incident), each with a tooltip
 * (`<title>`). Plain SVG: no JavaScript, no inline styles.
 */
import type { UptimeDay } from "../lib/stats/types.ts";
import { formatUptime, plural } from "../islands/format.ts";
import { NOT_MEASURED } from "../lib/stats/not_measured.ts";

const BAR = 4;
const GAP = 2;
const HEIGHT = 32;

/** Tailwind fill classes by uptime; null is "no data". */
export function uptimeFill(uptime: number | null): string {
  if (uptime === null) return "fill-slate-200 dark:fill-slate-700";
  if (uptime >= 99) return "fill-emerald-500";
  if (uptime >= 95) return "fill-lime-500";
  if (uptime >= 80) return "fill-amber-400";
  if (uptime >= 50) return "fill-orange-500";
  return "fill-red-500";
}

export function dayTitle(d: UptimeDay): string {
  if (d.checks === 0) return `${d.date}: ${NOT_MEASURED[d.not_measured ?? "no_scan"]}`;
  const also = [
    d.skipped > 0 ? `${plural(d.skipped, "check")} skipped` : "",
    d.openrouter > 0 ? `${plural(d.openrouter, "check")} not measured (OpenRouter incident)` : "",
  ].filter((s) => s !== "");
  return `${d.date}: ${formatUptime(d.uptime)} (${d.ok} of ${d.checks} checks ok` +
    `${also.length ? `; ${also.join(", ")}` : ""})`;
}

export function UptimeStrip({ days }: { days: UptimeDay[] }) {
  const width = days.length * (BAR + GAP) - GAP;
  const measured = days.filter((d) => d.checks > 0);
  const ok = measured.reduce((n, d) => n + d.ok, 0);
  const checks = measured.reduce((n, d) => n + d.checks, 0);
  const label =
    `Daily uptime over ${days.length} days: ${plural(measured.length, "day")} with data` +
    (checks ? `, ${formatUptime((ok / checks) * 100)} overall` : "");
  return (
    <figure class="space-y-1">
      <svg
        viewBox={`0 0 ${width} ${HEIGHT}`}
        preserveAspectRatio="none"
        class="h-10 w-full"
        role="img"
        aria-label={label}
      >
        {days.map((d, i) => (
          <rect
            key={d.date}
            x={i * (BAR + GAP)}
            y={0}
            width={BAR}
            height={HEIGHT}
            rx={1}
            class={uptimeFill(d.checks ? d.uptime : null)}
          >
            <title>{dayTitle(d)}</title>
          </rect>
        ))}
      </svg>
      <div
        class="flex justify-between text-xs text-slate-500 dark:text-slate-400"
        aria-hidden="true"
      >
        <span>{days[0]?.date ?? ""}</span>
        <span>today</span>
      </div>
      <figcaption class="text-sm text-slate-600 dark:text-slate-400">{label}.</figcaption>
    </figure>
  );
}

/** The colours' meaning, under the strip. */
export function UptimeLegend() {
  const items: [number | null, string][] = [
    [100, "≥ 99 %"],
    [96, "≥ 95 %"],
    [85, "≥ 80 %"],
    [60, "≥ 50 %"],
    [10, "< 50 %"],
    [null, "not measured"],
  ];
  return (
    <ul class="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
      {items.map(([u, text]) => (
        <li key={text} class="flex items-center gap-1.5">
          <svg width="10" height="10" aria-hidden="true">
            <rect width="10" height="10" rx="2" class={uptimeFill(u)} />
          </svg>
          {text}
        </li>
      ))}
    </ul>
  );
}
