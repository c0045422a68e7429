/** GET /api/recommend: the best free models now, ranked, with a ready fallback list. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { METHOD, recommend } from "../../lib/recommend/mod.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { badRequest, HealthSchema, jsonResponse } from "./schemas/shared.ts";

export const RECOMMEND_LIMIT = { min: 1, max: 20, def: 5 } as const;

const limitError = `must be a whole number from ${RECOMMEND_LIMIT.min} to ${RECOMMEND_LIMIT.max}`;
const contextError = "must be a whole number from 0 to 100000000";
const modalityError = "must be input modalities (letters), comma-separated, e.g. image or " +
  "text,image";

export const RecommendQuery = z.object({
  min_context: z.coerce.number({ error: contextError }).int({ error: contextError })
    .min(0, { error: contextError }).max(100_000_000, { error: contextError }).optional()
    .openapi({ description: "Only models with at least this context length (tokens)." }),
  tools: z.enum(["true", "false", "1", "0"], { error: "must be true or false" }).optional()
    .transform((v) => v === "true" || v === "1")
    .openapi({
      description: "true: only models that call tools: verified by a tools check where one ran " +
        "(a verified no is left out, a verified yes ranks first), else the catalog lists `tools`.",
    }),
  modality: z.string().max(100, { error: modalityError }).optional()
    .transform((v, ctx) => {
      if (v === undefined) return [];
      const list = v.split(",").map((m) => m.trim().toLowerCase()).filter((m) => m !== "");
      if (list.some((m) => !/^[a-z]{1,20}$/.test(m))) {
        ctx.addIssue({ code: "custom", message: modalityError });
        return z.NEVER;
      }
      return list;
    })
    .openapi({
      description: "Input modalities the model must accept, comma-separated (e.g. `image`, " +
        "`text,image`, `file`, `audio`).",
    }),
  limit: z.coerce.number({ error: limitError }).int({ error: limitError })
    .min(RECOMMEND_LIMIT.min, { error: limitError }).max(RECOMMEND_LIMIT.max, {
      error: limitError,
    }).default(RECOMMEND_LIMIT.def).openapi({
      description: `How many models (1–20, default ${RECOMMEND_LIMIT.def}).`,
    }),
});

const RecommendationSchema = z.object({
  rank: z.number().int(),
  model_id: z.string(),
  name: z.string(),
  score: z.number().openapi({
    description: "Wilson lower bound (95 %) of the success rate over 24 h, 0–1.",
  }),
  uptime_24h: z.number().nullable(),
  checks_24h: z.number().int(),
  ok_24h: z.number().int(),
  p50_latency_ms: z.number().nullable(),
  p50_ttft_ms: z.number().nullable(),
  context_length: z.number().int().nullable(),
  supports_tools: z.boolean(),
  input_modalities: z.array(z.string()),
  health: HealthSchema,
  latest_checked_at: z.string().nullable(),
  why: z.string().openapi({ description: "Why it ranks here, in one sentence." }),
}).openapi("Recommendation");

export const RecommendSchema = z.object({
  generated_at: z.string(),
  window: z.literal("24h"),
  criteria: z.object({
    min_context: z.number().int().nullable(),
    tools: z.boolean(),
    modality: z.array(z.string()),
    limit: z.number().int(),
  }),
  method: z.string(),
  considered: z.number().int().openapi({ description: "Free models in the catalog now." }),
  eligible: z.number().int().openapi({ description: "Models that qualified, before limit." }),
  excluded: z.object({
    routers: z.number().int(),
    filtered: z.number().int(),
    not_measured: z.number().int(),
    not_working: z.number().int(),
  }),
  models: z.array(RecommendationSchema),
  fallback_models: z.array(z.string()).openapi({
    description: "The ranked ids, for OpenRouter's `models` parameter (tried in order).",
  }),
  snippet: z.string().openapi({
    description: '`"models": [...]`, ready to paste into a request body.',
    example: '"models": ["meta-llama/llama-3.3-70b-instruct:free", "qwen/qwen3:free"]',
  }),
}).openapi("Recommend");

export const recommendRoute = createRoute({
  method: "get",
  path: "/api/recommend",
  tags: ["models"],
  summary: "The best free models now, with a ready-to-paste fallback list",
  description: METHOD,
  request: { query: RecommendQuery },
  responses: {
    200: jsonResponse(
      RecommendSchema,
      "The ranking (`models` may be empty when nothing qualifies).",
    ),
    400: badRequest,
  },
});

export function recommendRoutes(api: OpenAPIHono, deps: AppDeps): void {
  api.openapi(recommendRoute, async (c) => {
    const q = c.req.valid("query");
    const result = await recommend(deps.store, {
      minContext: q.min_context ?? null,
      tools: q.tools,
      modalities: q.modality,
      limit: q.limit,
    }, deps.now());
    return c.json(result, 200);
  });
}
