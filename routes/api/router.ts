/**
 * GET /api/router: the OpenAI-compatible router's counters since the server started (in
 * memory), its breakers, its latest decisions, and the stored hour-by-hour history.
 *
 * Never cached (lib/web/cache_policy.ts leaves it out, so it keeps the API's `no-store`): the
 * counters move with every routed request while the data version may not (they live in
 * memory), so an answer keyed on the data version would show stale counts.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { routerReport } from "../../lib/web/router_report.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { RouterQuery, RouterReportSchema } from "./schemas/router.ts";
import { badRequest, jsonResponse } from "./schemas/shared.ts";

export const routerRoute = createRoute({
  method: "get",
  path: "/api/router",
  tags: ["router"],
  summary: "The router (/v1): requests, answers, failovers, account-limit waits, per model",
  description: "Counters since the server started, the breakers not closed, the latest 50 " +
    "decisions (route, attempts, outcome, timings; never a prompt or an answer), and the " +
    "stored history per hour over `range`. With the router off (no " +
    "OPENROUTER_SCOUT_ROUTER_TOKEN): 200 with `enabled: false`, zeros and the stored history.",
  request: { query: RouterQuery },
  responses: {
    200: jsonResponse(RouterReportSchema, "The router's report."),
    400: badRequest,
  },
});

export function routerRoutes(api: OpenAPIHono, deps: AppDeps): void {
  api.openapi(routerRoute, async (c) => {
    const { range } = c.req.valid("query");
    return c.json(await routerReport(deps.store, deps.router, range, deps.now()), 200);
  });
}
