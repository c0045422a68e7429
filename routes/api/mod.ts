/**
 * The JSON API: `/api/*`, `/openapi.json` and `/healthz`, as one OpenAPIHono app that the web
 * app mounts at `/`. Every parameter is validated by zod and every response described by a zod
 * schema (routes/api/schemas/, one module a resource), from which /openapi.json is generated.
 *
 * Every error is `{"error": "…"}`: 400 bad parameter (naming it), 401/403 for POST /api/scan,
 * 404 unknown model or endpoint, 409 scan already running, 503 scanning off, 500 otherwise
 * (details go to the log, not the client). Every answer leaves here `no-store`; the response
 * cache (lib/web/response_cache.ts) replaces that on the GET answers it keeps.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppDeps } from "../../lib/web/deps.ts";
import { validationHook } from "./errors.ts";
import { metaRoutes } from "./meta.ts";
import { modelRoutes } from "./models.ts";
import { regionRoutes } from "./regions.ts";
import { runRoutes } from "./runs.ts";
import { scanRoutes } from "./scan.ts";
import { summaryRoutes } from "./summary.ts";
import { badgeRoutes } from "./badges.ts";
import { eventRoutes } from "./events.ts";
import { exportRoutes } from "./export.ts";
import { metricRoutes } from "./metrics.ts";
import { openRouterStatsRoutes } from "./openrouter_stats.ts";
import { recommendRoutes } from "./recommend.ts";
import { routerRoutes } from "./router.ts";

export { OPENAPI_INFO } from "./meta.ts";

export function createApi(deps: AppDeps): OpenAPIHono {
  const api = new OpenAPIHono({ defaultHook: validationHook });

  // Scoped to the API's own paths: a `*` here would reach every page once mounted at `/`.
  for (const path of ["/api/*", "/openapi.json", "/healthz"]) api.use(path, apiHeaders);

  api.onError((err, c) => {
    if (err instanceof HTTPException && err.status < 500) {
      return c.json({ error: err.message || "bad request" }, err.status);
    }
    (deps.log ?? console.error)(
      `api: ${c.req.method} ${JSON.stringify(c.req.path.slice(0, 200))} failed: ${
        err instanceof Error ? err.message : String(err)
      }`,
    );
    return c.json({ error: "internal error" }, 500);
  });

  summaryRoutes(api, deps);
  regionRoutes(api, deps); // before modelRoutes: it falls through for any other model path
  modelRoutes(api, deps);
  runRoutes(api, deps);
  scanRoutes(api, deps);
  metaRoutes(api, deps);
  eventRoutes(api, deps); // also /feed.xml
  recommendRoutes(api, deps);
  metricRoutes(api, deps); // /metrics
  badgeRoutes(api, deps); // /badge/*
  exportRoutes(api, deps);
  openRouterStatsRoutes(api, deps);
  routerRoutes(api, deps); // /api/router: never cached (in-memory counters)

  // Last: whatever under /api/ no route above answered.
  api.all(
    "/api/*",
    (c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path.slice(0, 200)}` }, 404),
  );
  return api;
}

const apiHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header("Cache-Control", "no-store");
  c.header("X-Content-Type-Options", "nosniff");
};
