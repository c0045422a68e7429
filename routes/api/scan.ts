/**
 * POST /api/scan: start a scan now, for the holder of the admin token. Off (403) without a
 * token; rate-limited per client and overall (429 with Retry-After) before the token is even
 * looked at, so guessing it is slow; bodies over SCAN_BODY_LIMIT are refused (413).
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppDeps } from "../../lib/web/deps.ts";
import { clientKey, createRateLimiter, type RateLimitOptions } from "../../lib/web/rate_limit.ts";
import { tooLarge } from "../../lib/web/security.ts";
import { bearerToken, tokensMatch } from "./auth.ts";
import { ScanStartedSchema } from "./schemas/scan.ts";
import { errorResponse, jsonResponse } from "./schemas/shared.ts";

/** The endpoint takes no body; a few bytes (`{}`) are tolerated. */
export const SCAN_BODY_LIMIT = 1024;
/** Per client address: a burst of 10, then 10 a minute. */
export const SCAN_CLIENT_LIMIT: RateLimitOptions = { capacity: 10, perMinute: 10 };
/** Over all clients together: a burst of 30, then 30 a minute. */
export const SCAN_GLOBAL_LIMIT: RateLimitOptions = { capacity: 30, perMinute: 30 };

export const scanRoute = createRoute({
  method: "post",
  path: "/api/scan",
  tags: ["runs"],
  summary: "Start a scan now",
  description: "Needs `Authorization: Bearer <OPENROUTER_SCOUT_ADMIN_TOKEN>`. The scan runs in " +
    "the background; follow it in GET /api/summary (`scanning.running`) and GET /api/runs.",
  security: [{ bearerAuth: [] }],
  responses: {
    202: jsonResponse(ScanStartedSchema, "The scan started."),
    401: errorResponse("The Authorization header is missing or its token is wrong."),
    403: errorResponse(
      "No admin token is configured (OPENROUTER_SCOUT_ADMIN_TOKEN): the endpoint is off.",
    ),
    409: errorResponse(
      "A scan is already running (in this process or another one on the database).",
    ),
    413: errorResponse(`The request body is larger than ${SCAN_BODY_LIMIT} bytes.`),
    429: errorResponse(
      "Too many requests from this client (or from all clients together); the `Retry-After` " +
        "header says in how many seconds to try again.",
    ),
    503: errorResponse("Scanning is off: no OPENROUTER_API_KEY is configured."),
  },
});

export function scanRoutes(api: OpenAPIHono, deps: AppDeps): void {
  api.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "The admin token (OPENROUTER_SCOUT_ADMIN_TOKEN).",
  });
  // Limits live with the app: each createApp (each test) starts with full buckets.
  const perClient = createRateLimiter(SCAN_CLIENT_LIMIT);
  const overall = createRateLimiter(SCAN_GLOBAL_LIMIT);
  api.use("/api/scan", bodyLimit({ maxSize: SCAN_BODY_LIMIT, onError: tooLarge(SCAN_BODY_LIMIT) }));
  api.openapi(scanRoute, async (c) => {
    if (deps.adminToken === null || deps.adminToken === "") {
      return c.json({
        error: "POST /api/scan is off: set OPENROUTER_SCOUT_ADMIN_TOKEN to enable it",
      }, 403);
    }
    const mine = perClient.take(clientKey(remoteAddress(c)));
    const limited = mine.ok ? overall.take("*") : mine;
    if (!limited.ok) {
      c.header("Retry-After", String(limited.retryAfterSeconds));
      return c.json({
        error: `too many requests to POST /api/scan; try again in ${limited.retryAfterSeconds} s`,
      }, 429);
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

/** The peer's address as Deno.serve reports it (`c.env` is its ServeHandlerInfo); null in tests. */
function remoteAddress(c: Context): string | null {
  const info = c.env as { remoteAddr?: { hostname?: unknown } } | undefined;
  const host = info?.remoteAddr?.hostname;
  return typeof host === "string" ? host : null;
}
