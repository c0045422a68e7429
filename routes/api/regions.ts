/**
 * GET /api/models/{model_id}/regions: one model's latency, TTFT and uptime per region of the
 * scanners that checked it (OPENROUTER_SCOUT_REGION), over a range.
 *
 * Mounted before modelRoutes: its `/api/models/:rest{.+}` would otherwise take the path as a
 * model id ending in "/regions". Like `/history`, a literal trailing `/regions` names the
 * sub-resource; an encoded one (`%2Fregions`) is part of the id, and goes on to modelRoutes.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type RegionStats, regionStats } from "../../lib/stats/regions.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { describeIssues } from "./errors.ts";
import {
  badRequest,
  jsonResponse,
  ModelIdParams,
  RangeSchema,
  unknownModel,
} from "./schemas/shared.ts";

const PREFIX = "/api/models/";
const SUFFIX = "/regions";

export const RegionsQuery = z.object({
  range: RangeSchema.default("7d").openapi({
    description: "The time range (default 7d).",
    default: "7d",
  }),
});

const ms = (description: string) => z.number().nullable().openapi({ description });

export const RegionStatsSchema = z.object({
  region: z.string().nullable().openapi({
    description: "OPENROUTER_SCOUT_REGION of the scanners; null for checks made without one.",
    example: "eu-west",
  }),
  checks: z.number().int().openapi({ description: "Measured checks (skipped ones excluded)." }),
  ok: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  uptime: z.number().nullable().openapi({ description: "0–100; null when nothing was measured." }),
  p50_latency_ms: ms("Median latency of the ok checks (ms)."),
  p95_latency_ms: ms("95th percentile latency of the ok checks (ms)."),
  p50_ttft_ms: ms("Median time to first token of the ok checks (ms)."),
  p95_ttft_ms: ms("95th percentile time to first token of the ok checks (ms)."),
  last_checked_at: z.string().nullable().openapi({
    description: "The region's newest check in the range (ISO 8601).",
    format: "date-time",
  }),
}).openapi("RegionStats");

export const RegionsSchema = z.object({
  model_id: z.string(),
  range: RangeSchema,
  regions: RegionStatsSchema.array().openapi({
    description: "One entry per region with checks in the range: named regions sorted, then " +
      "the untagged checks (region null).",
  }),
}).openapi("Regions");

// The schema and the read model agree (a compile error here means they drifted).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree: Same<z.infer<typeof RegionStatsSchema>, RegionStats> = true;
void agree;

export const regionsRoute = createRoute({
  method: "get",
  path: "/api/models/{model_id}/regions",
  tags: ["models"],
  summary: "One model's latency, TTFT and uptime per scanner region",
  description: "Scanners in several places can share one database, each tagging its checks " +
    "with OPENROUTER_SCOUT_REGION; this compares what each region measured over `range`.",
  request: { params: ModelIdParams, query: RegionsQuery },
  responses: {
    200: jsonResponse(RegionsSchema, "Regions."),
    400: badRequest,
    404: unknownModel,
  },
});

export function regionRoutes(api: OpenAPIHono, deps: AppDeps): void {
  api.openAPIRegistry.registerPath(regionsRoute);
  api.get(`${PREFIX}:rest{.+}`, async (c, next) => {
    // The raw path: an encoded "/" in the id must stay part of it.
    const path = new URL(c.req.url).pathname;
    if (!path.endsWith(SUFFIX)) return await next();
    let raw: string;
    try {
      raw = decodeURIComponent(path.slice(path.indexOf(PREFIX) + PREFIX.length, -SUFFIX.length));
    } catch {
      return c.json({ error: "model_id: malformed percent-encoding" }, 400);
    }
    const params = ModelIdParams.safeParse({ model_id: raw });
    if (!params.success) return c.json({ error: describeIssues(params.error) }, 400);
    const query = RegionsQuery.safeParse({ range: c.req.query("range") });
    if (!query.success) return c.json({ error: describeIssues(query.error) }, 400);

    const id = params.data.model_id;
    const range = query.data.range;
    const regions = await regionStats(deps.store, id, range, deps.now());
    if (regions.length === 0 && await deps.store.getModel(id) === null) {
      const any = await deps.store.listChecks({ modelId: id, limit: 1 });
      if (any.length === 0) {
        const shown = id.length > 200 ? `${id.slice(0, 200)}…` : id;
        return c.json({ error: `unknown model: ${JSON.stringify(shown)}` }, 404);
      }
    }
    return c.json({ model_id: id, range, regions }, 200);
  });
}
