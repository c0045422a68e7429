/** The free fleet's availability over the last 7 days, hour by hour. */
import type { FleetPoint } from "../lib/stats/types.ts";
import { Island } from "../lib/web/islands.tsx";
import { formatUptime } from "../islands/format.ts";
import { fleetAvailabilityOption } from "./chart_options.ts";

export function FleetChart({ points }: { points: FleetPoint[] }) {
  const checks = points.reduce((n, p) => n + p.checks, 0);
  const ok = points.reduce((n, p) => n + p.ok, 0);
  const overall = checks ? (ok / checks) * 100 : null;
  const label = `Share of checks of all free models answered correctly, per hour over 7 days; ` +
    `${formatUptime(overall)} overall over ${checks} checks`;
  return (
    <figure class="space-y-2">
      <div class="chart-frame rounded-lg border border-slate-200 p-2 dark:border-slate-800">
        <Island
          name="Chart"
          props={{ option: fleetAvailabilityOption(points), width: 960, height: 280, label }}
        />
      </div>
      <figcaption class="text-sm text-slate-600 dark:text-slate-400">
        {checks
          ? `${
            formatUptime(overall)
          } of ${checks} checks answered correctly over 7 days. Gaps: hours with no scan.`
          : "No checks in the last 7 days."}
      </figcaption>
    </figure>
  );
}
