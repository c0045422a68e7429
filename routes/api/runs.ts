/** GET /api/runs: the latest scan runs. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { recentRuns } from "../../lib/stats/runs.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { RunsQuery, RunSummarySchema } from "./schemas/runs.ts";
import { badRequest, jsonResponse } from "./schemas/shared.ts";

export const runsRoute = createRoute({
  method: "get",
  path: "/api/runs",
  tags: ["runs"],
  summary: "The latest scan runs, newest first",
  description: "`status` is running, completed, quota_exhausted (the daily free quota ran " +
    "out; the rest was skipped), interrupted (its process died), aborted (stopped by the " +
    "user) or failed (the catalog could not be read, or the key was refused).",
  request: { query: RunsQuery },
  responses: {
    200: jsonResponse(RunSummarySchema.array(), "The runs."),
    400: badRequest,
  },
});

export function runRoutes(api: OpenAPIHono, deps: AppDeps): void {
  api.openapi(runsRoute, async (c) => {
    const { limit } = c.req.valid("query");
    return c.json(await recentRuns(deps.store, limit), 200);
  });
}
