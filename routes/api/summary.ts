/** GET /api/summary: the fleet's health counts, the scanner's state and the last run. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { toScanningView } from "../../islands/live_summary.ts";
import { lastFinishedRun } from "../../lib/stats/runs.ts";
import { fleetSummary } from "../../lib/stats/summaries.ts";
import { HEALTH_DEFINITIONS } from "../../lib/stats/types.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { SummarySchema } from "./schemas/summary.ts";
import { jsonResponse } from "./schemas/shared.ts";

export const summaryRoute = createRoute({
  method: "get",
  path: "/api/summary",
  tags: ["fleet"],
  summary: "Health counts of the free fleet, the scanner's state and the last run",
  description: "The Python scouter's fields (total_models, healthy_count, degraded_count, " +
    "down_count, last_updated) keep their names and meaning. The counts cover the models in " +
    "the catalog now and add up to total_models; `definitions` says what each health means.",
  responses: {
    200: jsonResponse(SummarySchema, "The summary."),
  },
});

export function summaryRoutes(api: OpenAPIHono, deps: AppDeps): void {
  api.openapi(summaryRoute, async (c) => {
    const now = deps.now();
    const [fleet, scanning, lastRun, plan] = await Promise.all([
      fleetSummary(deps.store, now),
      deps.scanner.status(),
      lastFinishedRun(deps.store),
      // The planner's view: the latest GET /key reading and this process's requests since.
      deps.quota?.() ?? null,
    ]);
    return c.json({
      ...fleet,
      scanning: toScanningView(scanning),
      last_run: lastRun,
      quota: plan
        ? { ...plan.quota, kept_back: { reserve: plan.reserve, traffic: plan.kept_for_traffic } }
        : null,
      definitions: HEALTH_DEFINITIONS,
    }, 200);
  });
}
