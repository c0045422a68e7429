/**
 * The app of a test's deps on a loopback port, its islands built into a temporary directory,
 * for the Chromium tests; disposed (server shut down, build removed) at the end of the scope.
 */
import { Hono } from "hono";
import { staticHandler } from "../../lib/web/assets.ts";
import { ensureAssets } from "../../lib/web/build.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { createApp } from "../../routes/app.ts";

export interface BrowserApp extends AsyncDisposable {
  base: string;
}

export async function serveForBrowser(deps: AppDeps, prefix: string): Promise<BrowserApp> {
  const buildDir = await Deno.makeTempDir({ prefix });
  await ensureAssets({ outDir: buildDir });
  const app = new Hono();
  app.get("/static/build/*", staticHandler({ buildDir }));
  app.route("/", createApp(deps, () => {}));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await Deno.remove(buildDir, { recursive: true });
    },
  };
}
