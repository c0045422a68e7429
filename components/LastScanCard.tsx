/** The newest finished scan: when, how it ended, and its counts. */
import type { RunSummary } from "../lib/stats/types.ts";
import { Card } from "../islands/card.tsx";
import { RunStatusBadge } from "./RunStatusBadge.tsx";
import { TimeAgo } from "./TimeAgo.tsx";

export function LastScanCard({ run, now }: { run: RunSummary | null; now: number }) {
  if (!run) {
    return (
      <Card title="Last scan" value="none yet" tone="text-slate-500 dark:text-slate-400">
        <p>no scan has finished</p>
      </Card>
    );
  }
  return (
    <Card title="Last scan" value={<TimeAgo at={run.finished_at ?? run.started_at} now={now} />}>
      <p>
        <RunStatusBadge status={run.status} />
      </p>
      <p class="tabular-nums">
        {run.ok_count} ok · {run.failed_count} failed
        {run.skipped_count > 0 && <>{" "}· {run.skipped_count} skipped</>}
      </p>
    </Card>
  );
}
