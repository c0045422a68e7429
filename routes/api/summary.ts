/** GET /api/summary: the fleet's health counts, the scanner's state and the last run. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { lastFinishedRun } from "../../lib/stats/runs.ts";
import { fleetSummary } from "../../lib/stats/summaries.ts";
import { HEALTH_DEFINITIONS } from "../../lib/stats/types.ts";
import type { AppDeps, ScannerStatus } from "../../lib/web/deps.ts";
import { SummarySchema } from "./schemas.ts";

export const summaryRoute = createRoute({
  method: "get",
  path: "/api/summary",
  tags: ["fleet"],
  summary: "Health counts of the free fleet, the scanner's state and the last run",
  description: "The Python scouter's fields (total_models, healthy_count, degraded_count, " +
    "down_count, last_updated) keep their names and meaning. The counts cover the models in " +
    "the catalog now and add up to total_models; `definitions` says what each health means.",
  responses: {
    200: {
      content: { "application/json": { schema: SummarySchema } },
      description: "The summary.",
    },
  },
});

export function summaryRoutes(api: OpenAPIHono, deps: AppDeps): void {
  api.openapi(summaryRoute, async (c) => {
    const now = deps.now();
    const [fleet, scanning, lastRun] = await Promise.all([
      fleetSummary(deps.store, now),
      deps.scanner.status(),
      lastFinishedRun(deps.store),
    ]);
    return c.json({
      ...fleet,
      scanning: scanningView(scanning),
      last_run: lastRun,
      definitions: HEALTH_DEFINITIONS,
    }, 200);
  });
}

/** The scheduler's status with the progress in the API's snake_case (its start is `started_at`). */
function scanningView(s: ScannerStatus) {
  const p = s.running?.progress ?? null;
  return {
    enabled: s.enabled,
    disabled_reason: s.disabled_reason,
    schedule: s.schedule,
    running: s.running && {
      run_id: s.running.run_id,
      started_at: s.running.started_at,
      progress: p &&
        { done: p.done, total: p.total, ok: p.ok, failed: p.failed, skipped: p.skipped },
    },
    next_scan_at: s.next_scan_at,
  };
}
