/**
 * The dashboard's pages, server-rendered; islands only where interaction needs JavaScript.
 * lib/web/app.ts mounts this after the API, so the catch-all 404 below sees only what no API
 * route answered, and leaves API paths to the API's JSON errors.
 */
import { Hono } from "hono";
import type { AppDeps } from "../../lib/web/deps.ts";
import { dashboardPage } from "./dashboard.tsx";
import { modelPage } from "./model.tsx";
import { notFoundPage } from "./not_found.tsx";
import { runsPage } from "./runs.tsx";
import { routerPage } from "./router.tsx";

/** Paths that belong to the JSON API: never answered with an HTML page. */
export function isApiPath(path: string): boolean {
  return path === "/api" || path.startsWith("/api/") || path === "/openapi.json" ||
    path === "/healthz";
}

export function createPages(deps: AppDeps): Hono {
  const app = new Hono();
  app.get("/", (c) => dashboardPage(c, deps));
  app.get("/runs", (c) => runsPage(c, deps));
  app.get("/router", (c) => routerPage(c, deps));
  app.get("/models/*", (c) => modelPage(c, deps));
  app.all("*", async (c, next) => {
    if (isApiPath(c.req.path)) return await next();
    return notFoundPage(c);
  });
  return app;
}
