/**
 * GET /api/openrouter-stats: OpenRouter's own per-endpoint stats (uptime over 5 min, 30 min and
 * a day; time-to-first-token latency and throughput percentiles over 30 min), as read at the
 * latest scan — beside Scouter's measurements, never mixed into them.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { latestEndpointFetches } from "../../lib/db/endpoint_stats.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { badRequest, jsonResponse } from "./schemas/shared.ts";

export const OpenRouterStatsQuery = z.object({
  model_id: z.string().min(1, { error: "must not be empty" }).max(512, {
    error: "must be at most 512 characters",
  }).optional().openapi({ description: "Only this model (default: every model)." }),
});

const Percentiles = z.object({
  p50: z.number().nullable(),
  p75: z.number().nullable(),
  p90: z.number().nullable(),
  p99: z.number().nullable(),
}).nullable();

export const EndpointStatSchema = z.object({
  provider_name: z.string().nullable(),
  tag: z.string().nullable(),
  name: z.string().nullable(),
  status: z.number().int().nullable().openapi({
    description: "OpenRouter's endpoint status: 0 normal, negative values degraded or offline.",
  }),
  context_length: z.number().int().nullable(),
  max_completion_tokens: z.number().int().nullable(),
  quantization: z.string().nullable(),
  uptime_5m: z.number().nullable().openapi({ description: "Percent, 0–100." }),
  uptime_30m: z.number().nullable(),
  uptime_1d: z.number().nullable(),
  latency_ms: Percentiles.openapi({ description: "Time to first token, last 30 min (ms)." }),
  throughput_tps: Percentiles.openapi({ description: "Tokens per second, last 30 min." }),
}).openapi("OpenRouterEndpointStat");

export const OpenRouterStatsSchema = z.object({
  model_id: z.string(),
  fetched_at: z.string().openapi({ format: "date-time" }),
  run_id: z.number().int().nullable(),
  endpoints: z.array(EndpointStatSchema),
}).openapi("OpenRouterStats");

export const openRouterStatsRoute = createRoute({
  method: "get",
  path: "/api/openrouter-stats",
  tags: ["models"],
  summary: "OpenRouter's own endpoint stats per model, from the latest scan",
  description: "Read once per model per scan from GET /models/{author}/{slug}/endpoints " +
    "(no inference quota spent). For a `:free` model, its free endpoints.",
  request: { query: OpenRouterStatsQuery },
  responses: {
    200: jsonResponse(
      OpenRouterStatsSchema.array(),
      "One entry per model with stats, sorted by id.",
    ),
    400: badRequest,
  },
});

export function openRouterStatsRoutes(api: OpenAPIHono, deps: AppDeps): void {
  api.openapi(openRouterStatsRoute, async (c) => {
    const { model_id } = c.req.valid("query");
    const fetches = await latestEndpointFetches(deps.store.client, {
      modelId: model_id,
      now: deps.now(),
    });
    return c.json(
      fetches.map((f) => ({
        model_id: f.model_id,
        fetched_at: new Date(f.fetched_at).toISOString(),
        run_id: f.run_id,
        endpoints: f.endpoints.map(({ free: _free, ...e }) => e),
      })),
      200,
    );
  });
}
