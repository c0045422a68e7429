/** `GET /runs`: the scan history. */
import type { Context } from "hono";
import { lastFinishedRun, recentRuns } from "../../lib/stats/mod.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { Island } from "../../lib/web/islands.tsx";
import { toScanningView } from "../../islands/live_summary.ts";
import { RunsTable } from "../../components/RunsTable.tsx";
import { Shell } from "../../components/Shell.tsx";
import { sendPage } from "./render.ts";

/** Runs listed. */
export const RUNS_SHOWN = 100;

export async function runsPage(c: Context, deps: AppDeps): Promise<Response> {
  const now = deps.now();
  const [scanning, runs, lastRun] = await Promise.all([
    deps.scanner.status(),
    recentRuns(deps.store, RUNS_SHOWN),
    lastFinishedRun(deps.store),
  ]);
  const page = (
    <Shell current="runs">
      <div class="flex flex-wrap items-start justify-between gap-4">
        <div class="space-y-1">
          <h1 class="text-2xl font-semibold tracking-tight">Scans</h1>
          <p class="text-sm text-slate-600 dark:text-slate-400">
            Every scan, newest first{runs.length === RUNS_SHOWN
              ? ` (the latest ${RUNS_SHOWN})`
              : ""}.
            {scanning.schedule && ` The server scans ${scanning.schedule}.`}
          </p>
        </div>
        <div class="w-full sm:w-64">
          <Island
            name="LiveStatus"
            props={{ scanning: toScanningView(scanning), lastRunId: lastRun?.id ?? null, now }}
          />
        </div>
      </div>
      <RunsTable runs={runs} now={now} />
    </Shell>
  );
  return sendPage(c, page, { title: "Scans · Scouter" });
}
