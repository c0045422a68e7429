/**
 * The newest finished scan: when, how it ended, and its counts. Rendered inside the LiveStatus
 * island, so "12 min ago" keeps up with the clock on an open dashboard.
 */
import type { RunSummary } from "../lib/stats/types.ts";
import { Card } from "./card.tsx";
import { RunStatusBadge } from "./run_status_badge.tsx";
import { TimeAgo } from "./time_ago.tsx";

/** What the card shows of a run (island props: keep them lean). */
export type LastRunView = Pick<
  RunSummary,
  "status" | "started_at" | "finished_at" | "ok_count" | "failed_count" | "skipped_count"
>;

export function toLastRunView(run: RunSummary): LastRunView {
  const { status, started_at, finished_at, ok_count, failed_count, skipped_count } = run;
  return { status, started_at, finished_at, ok_count, failed_count, skipped_count };
}

export function LastScanCard({ run, now }: { run: LastRunView | null; now: number }) {
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
