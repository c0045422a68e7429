/** The fleet's counts: free models, and how many are healthy, degraded and down. */
import type { FleetSummary } from "../lib/stats/types.ts";
import { Card } from "../islands/card.tsx";
import { formatUptime } from "../islands/format.ts";

export function FleetCards({ summary }: { summary: FleetSummary }) {
  return (
    <>
      <Card title="Free models" value={summary.total_models}>
        <p>in OpenRouter's catalog</p>
        {summary.no_data_count > 0 && <p>{summary.no_data_count} not measured in 24 h</p>}
      </Card>
      <Card
        title="Healthy"
        value={summary.healthy_count}
        tone="text-emerald-700 dark:text-emerald-400"
      >
        <p>
          fleet uptime 24 h:{" "}
          <span class="whitespace-nowrap">{formatUptime(summary.fleet_uptime_24h)}</span>
        </p>
      </Card>
      <Card
        title="Degraded"
        value={summary.degraded_count}
        tone="text-amber-700 dark:text-amber-400"
      >
        <p>slow or flapping</p>
      </Card>
      <Card title="Down" value={summary.down_count} tone="text-red-700 dark:text-red-400">
        <p>last two checks failed</p>
      </Card>
    </>
  );
}
