/**
 * SVG badges for READMEs: GET /badge/{model_id}/status.svg and
 * GET /badge/{model_id}/uptime/{24h|7d|30d}.svg. Model ids hold `/` and `:`, so the path is
 * split by hand (raw or percent-encoded ids both work). Cached for a minute, here and by
 * clients; an unknown model is a 404 with a grey "unknown model" badge (an image still shows).
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { statusBadge, unknownBadge, uptimeBadge } from "../../lib/metrics/badge.ts";
import { modelSummary, rangeStats } from "../../lib/stats/mod.ts";
import type { AppDeps } from "../../lib/web/deps.ts";

export const BADGE_TTL_MS = 60_000;
const MAX_CACHED = 1_000;
const PREFIX = "/badge/";

export type BadgeKind = { kind: "status" } | { kind: "uptime"; range: "24h" | "7d" | "30d" };

/** `/badge/<id>/status.svg` or `/badge/<id>/uptime/<range>.svg` (raw path); null otherwise. */
export function parseBadgePath(path: string): { id: string; badge: BadgeKind } | null {
  if (!path.startsWith(PREFIX)) return null;
  const rest = path.slice(PREFIX.length);
  let m = /^(.+)\/status\.svg$/.exec(rest);
  let badge: BadgeKind;
  if (m) {
    badge = { kind: "status" };
  } else {
    m = /^(.+)\/uptime\/(24h|7d|30d)\.svg$/.exec(rest);
    if (!m) return null;
    badge = { kind: "uptime", range: m[2] as "24h" | "7d" | "30d" };
  }
  let id: string;
  try {
    id = decodeURIComponent(m[1]);
  } catch {
    return null;
  }
  return id === "" || id.length > 512 ? null : { id, badge };
}

const svgResponse = {
  content: { "image/svg+xml": { schema: z.string() } },
  description: "An SVG badge (a grey one saying `unknown model` with 404).",
};

export const statusBadgeRoute = createRoute({
  method: "get",
  path: "/badge/{model_id}/status.svg",
  tags: ["badges"],
  summary: "A badge of the model's health: healthy, degraded, down or no data",
  request: { params: z.object({ model_id: z.string() }) },
  responses: { 200: svgResponse, 404: svgResponse },
});

/** One documented path per window: each is a URL to paste into a README as it is. */
export const uptimeBadgeRoutes = (["24h", "7d", "30d"] as const).map((range) =>
  createRoute({
    method: "get",
    path: `/badge/{model_id}/uptime/${range}.svg`,
    tags: ["badges"],
    summary: `A badge of the model's uptime over ${range}`,
    request: { params: z.object({ model_id: z.string() }) },
    responses: { 200: svgResponse, 404: svgResponse },
  })
);

export function badgeRoutes(api: OpenAPIHono, deps: AppDeps): void {
  const cache = new Map<string, { svg: string; status: 200 | 404; expires: number }>();

  async function render(id: string, badge: BadgeKind): Promise<{ svg: string; status: 200 | 404 }> {
    const now = deps.now();
    const summary = await modelSummary(deps.store, id, now);
    if (summary === null) return { svg: unknownBadge(id), status: 404 };
    if (badge.kind === "status") return { svg: statusBadge(id, summary.health), status: 200 };
    const uptime = badge.range === "24h"
      ? summary.uptime_24h
      : badge.range === "7d"
      ? summary.uptime_7d
      : (await rangeStats(deps.store, id, "30d", now)).uptime;
    return { svg: uptimeBadge(`${id} uptime ${badge.range}`, uptime), status: 200 };
  }

  api.openAPIRegistry.registerPath(statusBadgeRoute);
  for (const route of uptimeBadgeRoutes) api.openAPIRegistry.registerPath(route);
  api.get(`${PREFIX}*`, async (c: Context) => {
    const path = new URL(c.req.url).pathname;
    const parsed = parseBadgePath(path);
    if (parsed === null) {
      return c.json({
        error: "no such badge: use /badge/{model_id}/status.svg or " +
          "/badge/{model_id}/uptime/{24h|7d|30d}.svg",
      }, 404);
    }
    const key = `${parsed.id}\n${parsed.badge.kind === "uptime" ? parsed.badge.range : "status"}`;
    const now = Date.now();
    let hit = cache.get(key);
    if (!hit || hit.expires <= now) {
      hit = { ...await render(parsed.id, parsed.badge), expires: now + BADGE_TTL_MS };
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(key, hit);
    }
    c.header("Content-Type", "image/svg+xml; charset=utf-8");
    c.header("Cache-Control", `public, max-age=${BADGE_TTL_MS / 1000}`);
    // Badges are embedded in pages elsewhere (a README on GitHub): readable cross-origin.
    c.header("Cross-Origin-Resource-Policy", "cross-origin");
    return c.body(hit.svg, hit.status);
  });
}
