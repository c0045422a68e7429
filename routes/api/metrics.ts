/**
 * GET /metrics: Prometheus text (lib/metrics/collect.ts). Computed at most every
 * METRICS_TTL_MS per server, so a tight scrape interval costs the database nothing more; the
 * router's counters (lib/metrics/router.ts) are added fresh to every scrape.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { collectMetrics } from "../../lib/metrics/collect.ts";
import { PROMETHEUS_CONTENT_TYPE, renderFamilies } from "../../lib/metrics/prometheus.ts";
import { routerFamilies } from "../../lib/metrics/router.ts";
import type { AppDeps } from "../../lib/web/deps.ts";

export const METRICS_TTL_MS = 10_000;

export const metricsRoute = createRoute({
  method: "get",
  path: "/metrics",
  tags: ["meta"],
  summary: "Prometheus metrics: status, uptime, latency per model; checks and scans",
  description: "Gauges in the Prometheus text format 0.0.4, refreshed at most every 10 s.",
  responses: {
    200: {
      content: { "text/plain": { schema: z.string() } },
      description: "The metrics.",
    },
  },
});

export function metricRoutes(api: OpenAPIHono, deps: AppDeps): void {
  let cached: { text: string; at: number } | null = null;
  let pending: Promise<string> | null = null;
  api.openAPIRegistry.registerPath(metricsRoute);
  api.get("/metrics", async (c) => {
    const t = Date.now();
    if (!cached || t - cached.at >= METRICS_TTL_MS) {
      // Concurrent scrapes share one computation.
      pending ??= (async () => {
        try {
          const [scanner, plan] = await Promise.all([deps.scanner.status(), deps.quota?.()]);
          const text = await collectMetrics(deps.store, scanner, deps.now(), plan?.quota ?? null);
          cached = { text, at: Date.now() };
          return text;
        } finally {
          pending = null;
        }
      })();
      await pending;
    }
    c.header("Content-Type", PROMETHEUS_CONTENT_TYPE);
    c.header("Cache-Control", "no-store");
    // The router's counters are in memory and cost nothing: always current, never cached.
    const router = renderFamilies(routerFamilies(deps.router?.stats() ?? null));
    return c.body(cached!.text + router);
  });
}
