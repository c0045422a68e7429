import { Hono } from "hono";
import { compress } from "hono/compress";
import { createApi } from "./api/mod.ts";
import { createPages } from "./pages/mod.tsx";
import { createV1, type V1Options } from "./v1/mod.ts";
import { staticHandler } from "../lib/web/assets.ts";
import { security } from "../lib/web/security.ts";
import type { AppDeps } from "../lib/web/deps.ts";
import { responseCache } from "../lib/web/response_cache.ts";
import { everyInterval } from "../lib/web/version_reader.ts";

/**
 * The whole HTTP surface: static assets, the JSON API and the pages. Routes know nothing of
 * OpenRouter; they read the store through lib/stats and ask the scheduler (AppDeps.scanner).
 */
export function createApp(
  routeDeps: AppDeps,
  log: (message: string) => void = console.error,
  v1: V1Options | null = null,
): Hono {
  const deps: AppDeps = { ...routeDeps, log: routeDeps.log ?? log };
  const app = new Hono();
  // Before the middleware: /v1 sets its own headers and body limit, never compressed or cached.
  app.route("/", createV1(v1 ?? DISABLED_V1));
  app.use(security()); // first: its headers go on every response, errors and 404s included
  app.use(compress()); // before the cache: it leaves alone what the cache already encoded
  // A background render is a request of its own through the whole app (lib/web/response_cache.ts).
  const refetch = (request: Request, env: unknown) => app.fetch(request, env);
  if (deps.dataVersion) app.use(cacheOf(deps, log, refetch).middleware);
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

/** Mounted after compress(): it sends its own gzip/br bodies, compress() skips those. */
function cacheOf(
  deps: AppDeps,
  log: (message: string) => void,
  refetch: (request: Request, env: unknown) => Response | Promise<Response>,
) {
  const dataVersion = deps.dataVersion!;
  // The scanner's status is part of the version: a scan's progress lives in this process.
  const version = everyInterval(async () => {
    const [data, scanning] = await Promise.all([dataVersion(), deps.scanner.status()]);
    return `${data} ${JSON.stringify(scanning)}`;
  }, deps.now);
  return responseCache({ version, now: deps.now, log, refetch });
}

const DISABLED_V1: V1Options = { router: null, token: null, clientConcurrency: 1, corsOrigins: [] };

function isApi(path: string): boolean {
  return path.startsWith("/api/") || path === "/openapi.json" || path === "/healthz";
}
