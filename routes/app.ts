import { Hono } from "hono";
import { compress } from "hono/compress";
import { createApi } from "./api/mod.ts";
import { createPages } from "./pages/mod.tsx";
import { staticHandler } from "../lib/web/assets.ts";
import { security } from "../lib/web/security.ts";
import type { AppDeps } from "../lib/web/deps.ts";

/**
 * The whole HTTP surface: static assets, the JSON API and the pages. Routes know nothing of
 * OpenRouter; they read the store through lib/stats and ask the scheduler (AppDeps.scanner).
 */
export function createApp(
  routeDeps: AppDeps,
  log: (message: string) => void = console.error,
): Hono {
  const deps: AppDeps = { ...routeDeps, log: routeDeps.log ?? log };
  const app = new Hono();
  app.use(security()); // first: its headers go on every response, errors and 404s included
  app.use(compress());
  app.get("/static/*", staticHandler());
  app.route("/", createApi(deps));
  app.route("/", createPages(deps));
  app.onError((err, c) => {
    // The message may hold request details: logged here, never sent to the client.
    log(`error serving ${c.req.method} ${new URL(c.req.url).pathname}: ${err.message}`);
    return isApi(c.req.path)
      ? c.json({ error: "internal error" }, 500)
      : c.html("<!doctype html><title>Error</title><p>Something went wrong.</p>", 500);
  });
  return app;
}

function isApi(path: string): boolean {
  return path.startsWith("/api/") || path === "/openapi.json" || path === "/healthz";
}
