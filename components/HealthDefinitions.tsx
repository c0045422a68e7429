/** What "healthy", "degraded", "down" and "no data" mean, from lib/stats (one source). */
import { HEALTH_DEFINITIONS, HEALTHS } from "../lib/stats/types.ts";
import { HealthBadge } from "../islands/health_badge.tsx";

export function HealthDefinitions() {
  return (
    <div class="space-y-3 text-sm">
      <dl class="grid gap-3 sm:grid-cols-2">
        {HEALTHS.map((h) => (
          <div key={h} class="flex items-start gap-3">
            <dt class="w-24 shrink-0">
              <HealthBadge health={h} />
            </dt>
            <dd class="text-slate-700 dark:text-slate-300">{capitalise(HEALTH_DEFINITIONS[h])}.</dd>
          </div>
        ))}
      </dl>
      <p class="text-slate-600 dark:text-slate-400">
        Uptime counts measured checks only: a check skipped because of the account (daily quota used
        up, key refused) is never downtime. "No data" means no measured check in the range — not 0
        %.
      </p>
    </div>
  );
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
