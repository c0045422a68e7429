/** POST /api/scan: start a scan now, for the holder of the admin token. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppDeps } from "../../lib/web/deps.ts";
import { bearerToken, tokensMatch } from "./auth.ts";
import { ErrorSchema, ScanStartedSchema } from "./schemas.ts";

const error = (description: string) => ({
  content: { "application/json": { schema: ErrorSchema } },
  description,
});

export const scanRoute = createRoute({
  method: "post",
  path: "/api/scan",
  tags: ["runs"],
  summary: "Start a scan now",
  description: "Needs `Authorization: Bearer <OPENROUTER_SCOUT_ADMIN_TOKEN>`. The scan runs in " +
    "the background; follow it in GET /api/summary (`scanning.running`) and GET /api/runs.",
  security: [{ bearerAuth: [] }],
  responses: {
    202: {
      content: { "application/json": { schema: ScanStartedSchema } },
      description: "The scan started.",
    },
    401: error("The Authorization header is missing or its token is wrong."),
    403: error("No admin token is configured (OPENROUTER_SCOUT_ADMIN_TOKEN): the endpoint is off."),
    409: error("A scan is already running (in this process or another one on the database)."),
    503: error("Scanning is off: no OPENROUTER_API_KEY is configured."),
  },
});

export function scanRoutes(api: OpenAPIHono, deps: AppDeps): void {
  api.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "The admin token (OPENROUTER_SCOUT_ADMIN_TOKEN).",
  });
  api.openapi(scanRoute, async (c) => {
    if (deps.adminToken === null || deps.adminToken === "") {
      return c.json({
        error: "POST /api/scan is off: set OPENROUTER_SCOUT_ADMIN_TOKEN to enable it",
      }, 403);
    }
    const token = bearerToken(c.req.header("Authorization"));
    if (token === null || !await tokensMatch(token, deps.adminToken)) {
      c.header("WWW-Authenticate", 'Bearer realm="scouter"');
      return c.json({ error: "missing or wrong bearer token" }, 401);
    }
    const result = await deps.scanner.requestScan();
    if (result === "busy") return c.json({ error: "a scan is already running" }, 409);
    if (result === "disabled") {
      return c.json({ error: "scanning is off: set OPENROUTER_API_KEY to enable it" }, 503);
    }
    return c.json({ status: "started" as const }, 202);
  });
  // A GET (or any other method) on a POST-only endpoint: 405, not the catch-all's 404.
  api.on(["GET", "PUT", "PATCH", "DELETE"], "/api/scan", (c) => {
    c.header("Allow", "POST");
    return c.json({ error: "use POST /api/scan" }, 405);
  });
}
