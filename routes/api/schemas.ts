/**
 * The API's shapes, in zod: they validate what users send and document what the API returns
 * (`/openapi.json` is generated from them). Each response schema is checked at compile time
 * against the lib/stats type it describes, so the two cannot drift apart.
 */
import { z } from "@hono/zod-openapi";
import { CHECK_STATUSES, RUN_STATUSES } from "../../lib/domain/check.ts";
import {
  type CatalogEvent,
  type FleetSummary,
  HEALTHS,
  type HistoryPoint,
  type ModelDetail,
  type ModelSummary,
  RANGES,
  type RangeStats,
  type RunSummary,
} from "../../lib/stats/types.ts";

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
function intParam(min: number, max: number, def: number, description: string) {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error })
    .default(def).openapi({ description: `${description} (${min}–${max}, default ${def})` });
}

export const HISTORY_LIMIT = { min: 1, max: 5000, def: 500 } as const;
export const RUNS_LIMIT = { min: 1, max: 1000, def: 50 } as const;

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

export const ModelsQuery = z.object({
  range: RangeSchema.optional().openapi({
    description: "Add `range_stats` (uptime, latency and TTFT percentiles, failures by " +
      "category) over this range to every model.",
  }),
  status: HealthSchema.optional().openapi({ description: "Only the models in this health." }),
  q: z.string().max(200, { error: "must be at most 200 characters" }).optional().openapi({
    description: "Only the models whose id or name contains this text (case-insensitive).",
  }),
});

export const HistoryQuery = z.object({
  range: RangeSchema.default("7d").openapi({
    description: "The time range (default 7d).",
    default: "7d",
  }),
  limit: intParam(
    HISTORY_LIMIT.min,
    HISTORY_LIMIT.max,
    HISTORY_LIMIT.def,
    "At most this many checks, the newest ones",
  ),
});

export const RunsQuery = z.object({
  limit: intParam(RUNS_LIMIT.min, RUNS_LIMIT.max, RUNS_LIMIT.def, "At most this many runs"),
});

// ---- Responses --------------------------------------------------------------------------

export const ErrorSchema = z.object({
  error: z.string().openapi({ example: "range: must be one of 24h, 7d, 30d, 90d, 1y" }),
}).openapi("Error", { description: "Every error of the API has this shape." });

const CheckStatusSchema = z.enum(CHECK_STATUSES).openapi("CheckStatus", {
  description: "The category of a check; `skipped` checks were not measured (account quota, " +
    "key, shutdown) and never count as downtime.",
});

const ms = (description: string) => z.number().nullable().openapi({ description });
const isoTime = (description: string) =>
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

const modelSummaryShape = {
  model_id: z.string().openapi({ example: "meta-llama/llama-3.3-70b-instruct:free" }),
  name: z.string(),
  context_length: z.number().int().nullable(),
  is_router: z.boolean(),
  present: z.boolean().openapi({ description: "Listed in the latest catalog." }),
  expiration_date: z.string().nullable(),
  health: HealthSchema,
  latest_status: z.string().nullable().openapi({
    description: "The latest measured check as the Python scouter labelled it: OK, 429, " +
      "HTTP 502, TIMEOUT, FAIL.",
    example: "OK",
  }),
  latest_category: CheckStatusSchema.nullable(),
  latest_checked_at: isoTime("The latest measured check").nullable(),
  consecutive_failures: z.number().int().openapi({
    description: "Measured checks failed since the latest ok one.",
  }),
  uptime_24h: z.number().nullable().openapi({ description: "0–100; null when no data." }),
  uptime_7d: z.number().nullable().openapi({ description: "0–100; null when no data." }),
  avg_latency_24h: ms("Mean latency of the ok checks over 24 h."),
  p50_latency_24h: ms("Median latency of the ok checks over 24 h."),
  p95_latency_24h: ms("95th percentile latency of the ok checks over 24 h."),
  p50_ttft_24h: ms("Median time to first token of the ok checks over 24 h."),
  checks_24h: z.number().int().openapi({ description: "Measured checks over 24 h." }),
  sparkline_data: z.array(z.number().nullable()).openapi({
    description: "Latency of the latest (at most 24) measured checks, oldest first; null " +
      "where a check failed.",
  }),
};

export const ModelSummarySchema = z.object(modelSummaryShape).openapi("ModelSummary");

export const ModelListItemSchema = z.object({
  ...modelSummaryShape,
  range_stats: RangeStatsSchema.optional().openapi({
    description: "Present when `range` was asked for.",
  }),
}).openapi("ModelListItem");

const CatalogEventSchema = z.object({
  kind: z.enum(["added", "removed", "returned"]),
  at: isoTime("When the catalog change was seen"),
  run_id: z.number().int().nullable(),
}).openapi("CatalogEvent");

export const ModelDetailSchema = z.object({
  ...modelSummaryShape,
  description: z.string().nullable(),
  input_modalities: z.array(z.string()),
  output_modalities: z.array(z.string()),
  supported_parameters: z.array(z.string()),
  reasoning: z.object({ mandatory: z.boolean(), supported_efforts: z.array(z.string()) })
    .nullable(),
  created: isoTime("OpenRouter's creation date").nullable(),
  first_seen_at: isoTime("First seen in the catalog").nullable(),
  last_seen_at: isoTime("Last seen in the catalog").nullable(),
  removed_at: isoTime("Removed from the catalog").nullable(),
  range_stats: z.object({
    "24h": RangeStatsSchema,
    "7d": RangeStatsSchema,
    "30d": RangeStatsSchema,
    "90d": RangeStatsSchema,
    "1y": RangeStatsSchema,
  }),
  events: z.array(CatalogEventSchema).openapi({ description: "Newest first." }),
}).openapi("ModelDetail");

export const HistoryPointSchema = z.object({
  run_datetime: isoTime("When the check ran"),
  ok: z.boolean(),
  latency_ms: ms("Time of the final attempt."),
  status_label: z.string().openapi({ example: "HTTP 502" }),
  status: CheckStatusSchema,
  ttft_ms: ms("Time to the first content token."),
  http_status: z.number().int().nullable(),
  attempts: z.number().int(),
  provider: z.string().nullable(),
  error: z.string().nullable(),
  skip_reason: z.enum(["quota", "auth", "payment", "shutdown"]).nullable(),
  run_id: z.number().int(),
}).openapi("HistoryPoint");

export const RunSummarySchema = z.object({
  id: z.number().int(),
  started_at: isoTime("Start"),
  finished_at: isoTime("End").nullable(),
  status: z.enum(RUN_STATUSES),
  trigger: z.enum(["cli", "schedule", "api"]),
  total_models: z.number().int().nullable(),
  ok_count: z.number().int(),
  failed_count: z.number().int(),
  skipped_count: z.number().int(),
  error: z.string().nullable(),
}).openapi("Run");

const ScanningSchema = z.object({
  enabled: z.boolean(),
  disabled_reason: z.string().nullable(),
  schedule: z.string().nullable().openapi({ example: "every 1 h" }),
  running: z.object({
    run_id: z.number().int().nullable(),
    started_at: isoTime("Start"),
    progress: z.object({
      done: z.number().int(),
      total: z.number().int(),
      ok: z.number().int(),
      failed: z.number().int(),
      skipped: z.number().int(),
    }).nullable(),
  }).nullable(),
  next_scan_at: isoTime("The next scheduled scan").nullable(),
}).openapi("Scanning");

const fleetShape = {
  total_models: z.number().int().openapi({ description: "Models in the catalog now." }),
  healthy_count: z.number().int(),
  degraded_count: z.number().int(),
  down_count: z.number().int(),
  no_data_count: z.number().int(),
  last_updated: isoTime("The newest check").nullable(),
  fleet_uptime_24h: z.number().nullable().openapi({
    description: "Share of the fleet's measured checks answered correctly over 24 h, 0–100.",
  }),
};

export const SummarySchema = z.object({
  ...fleetShape,
  scanning: ScanningSchema,
  last_run: RunSummarySchema.nullable().openapi({ description: "The newest finished run." }),
  definitions: z.object({
    healthy: z.string(),
    degraded: z.string(),
    down: z.string(),
    no_data: z.string(),
  }),
}).openapi("Summary");

export const ScanStartedSchema = z.object({ status: z.literal("started") }).openapi(
  "ScanStarted",
);

export const HealthzSchema = z.object({
  status: z.enum(["ok", "error"]),
  version: z.string(),
  db: z.enum(["ok", "error"]),
  error: z.string().optional(),
}).openapi("Healthz");

// ---- The schemas and lib/stats agree (a compile error here means they drifted) -----------

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function agree<_T extends true>(): void {}
agree<Same<z.infer<typeof RangeStatsSchema>, RangeStats>>();
agree<Same<z.infer<typeof ModelSummarySchema>, ModelSummary>>();
agree<Same<z.infer<typeof ModelDetailSchema>, ModelDetail>>();
agree<Same<z.infer<typeof HistoryPointSchema>, HistoryPoint>>();
agree<Same<z.infer<typeof RunSummarySchema>, RunSummary>>();
agree<Same<z.infer<typeof CatalogEventSchema>, CatalogEvent>>();
agree<Same<z.infer<z.ZodObject<typeof fleetShape>>, FleetSummary>>();
