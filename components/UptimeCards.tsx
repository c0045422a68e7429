/** A model's uptime over 24 h, 7 d, 30 d, 90 d and 1 year, with the checks behind each number. */
import { type Range, RANGES, type RangeStats } from "../lib/stats/types.ts";
import { Card } from "../islands/card.tsx";
import { formatMs, formatUptime, uptimeTone } from "../islands/format.ts";

const RANGE_TITLE: Record<Range, string> = {
  "24h": "Uptime 24 h",
  "7d": "Uptime 7 days",
  "30d": "Uptime 30 days",
  "90d": "Uptime 90 days",
  "1y": "Uptime 1 year",
};

export function UptimeCards({ stats }: { stats: Record<Range, RangeStats> }) {
  return (
    <div class="grid grid-cols-2 gap-3 lg:grid-cols-5">
      {RANGES.map((r) => {
        const s = stats[r];
        return (
          <Card
            key={r}
            title={RANGE_TITLE[r]}
            value={formatUptime(s.uptime)}
            tone={uptimeTone(s.uptime)}
          >
            <p class="tabular-nums">
              {s.checks} checks · {s.failed} failed
              {s.skipped > 0 && ` · ${s.skipped} skipped`}
            </p>
            <p class="tabular-nums">
              p50 {formatMs(s.p50_latency_ms)} · TTFT {formatMs(s.p50_ttft_ms)}
            </p>
          </Card>
        );
      })}
    </div>
  );
}
