/**
 * What the API's schemas share: the query parameters several endpoints take (range, health,
 * time, a bounded whole number, the model id), the error shape, the field helpers, a check's
 * category and the per-range statistics. Each response schema is checked at compile time
 * against the lib/stats type it describes (`agree`), so the two cannot drift apart.
 */
import { z } from "@hono/zod-openapi";
import { CHECK_STATUSES } from "../../../lib/domain/check.ts";
import { HEALTHS, RANGES, type RangeStats } from "../../../lib/stats/types.ts";

// ---- Parameters -------------------------------------------------------------------------

export const RangeSchema = z.enum(RANGES, { error: `must be one of ${RANGES.join(", ")}` })
  .openapi("Range", {
    description: "A time range ending now: the last 24 hours, 7, 30 or 90 days, or 1 year " +
      "(365 days).",
  });

export const HealthSchema = z.enum(HEALTHS, { error: `must be one of ${HEALTHS.join(", ")}` })
  .openapi("Health", {
    description: "healthy, degraded, down or no_data; see GET /api/summary `definitions`.",
  });

const timeError = "must be an ISO 8601 date (2026-11-27) or date-time (2026-11-27T10:00:00Z)";

/** A point in time in a query string, as epoch ms: a date-time, or a date meaning 00:00 UTC. */
export const TimeParam = z.string().max(40, { error: timeError }).refine(
  (v) =>
    /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) &&
    Number.isFinite(Date.parse(v)),
  { error: timeError },
).transform((v) => Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v));

/** A whole number from `min` to `max` in a query string, `def` when absent. */
export function intParam(min: number, max: number, def: number, description: string) {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error })
    .default(def).openapi({ description: `${description} (${min}–${max}, default ${def})` });
}

export const ModelIdParams = z.object({
  model_id: z.string().min(1, { error: "must not be empty" }).max(512, {
    error: "must be at most 512 characters",
  }).openapi({
    param: { name: "model_id", in: "path" },
    description: "The OpenRouter model id. It holds `/` and `:`; send it raw " +
      "(`meta-llama/llama-3.3-70b-instruct:free`) or percent-encoded " +
      "(`meta-llama%2Fllama-3.3-70b-instruct%3Afree`).",
    example: "meta-llama/llama-3.3-70b-instruct:free",
  }),
});

// ---- Responses --------------------------------------------------------------------------

export const ErrorSchema = z.object({
  error: z.string().openapi({ example: "range: must be one of 24h, 7d, 30d, 90d, 1y" }),
}).openapi("Error", { description: "Every error of the API has this shape." });

/** A response whose body is `schema` as JSON, for a route's `responses`. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description };
}

/** An error response (`{"error": "…"}`) and when it is sent. */
export const errorResponse = (description: string) => jsonResponse(ErrorSchema, description);

export const badRequest = errorResponse("A parameter is invalid; the message names it.");
export const unknownModel = errorResponse("No model with this id is known.");

export const CheckStatusSchema = z.enum(CHECK_STATUSES).openapi("CheckStatus", {
  description: "The category of a check; `skipped` checks were not measured (account quota, " +
    "key, shutdown) and never count as downtime.",
});

export const ms = (description: string) => z.number().nullable().openapi({ description });
export const isoTime = (description: string) =>
  z.string().openapi({ description: `${description} (ISO 8601)`, format: "date-time" });

const FailureCountsSchema = z.object({
  wrong_answer: z.number().int().optional(),
  empty_response: z.number().int().optional(),
  rate_limited: z.number().int().optional(),
  unavailable: z.number().int().optional(),
  not_found: z.number().int().optional(),
  rejected: z.number().int().optional(),
  timeout: z.number().int().optional(),
  invalid_response: z.number().int().optional(),
  network_error: z.number().int().optional(),
}).openapi("FailureCounts", {
  description: "Failed checks per category; categories with none are left out.",
});

export const RangeStatsSchema = z.object({
  range: RangeSchema,
  checks: z.number().int().openapi({ description: "Measured checks (skipped ones excluded)." }),
  ok: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int().openapi({ description: "Not measured; count neither way." }),
  uptime: z.number().nullable().openapi({
    description: "ok / checks × 100, one decimal; null when nothing was measured (no data).",
  }),
  p50_latency_ms: ms(
    "Median latency of the ok checks (nearest rank, from the rollups' histograms: within 5 %).",
  ),
  p95_latency_ms: ms("95th percentile latency of the ok checks."),
  p99_latency_ms: ms("99th percentile latency of the ok checks."),
  p50_ttft_ms: ms("Median time to first token of the ok checks."),
  p95_ttft_ms: ms("95th percentile time to first token of the ok checks."),
  p99_ttft_ms: ms("99th percentile time to first token of the ok checks."),
  failures_by_category: FailureCountsSchema,
}).openapi("RangeStats");

// ---- A schema and its lib/stats type agree (a compile error means they drifted) ----------

export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export function agree<_T extends true>(): void {}
agree<Same<z.infer<typeof RangeStatsSchema>, RangeStats>>();
