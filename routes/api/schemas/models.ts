/** The models' shapes: GET /api/models (its query and list items) and one model's detail. */
import { z } from "@hono/zod-openapi";
import type { CatalogEvent, ModelDetail, ModelSummary } from "../../../lib/stats/types.ts";
import type { Capabilities, CapabilityStatus } from "../../../lib/stats/capabilities.ts";
import { CAPABILITIES, type Capability, isCapability } from "../../../lib/domain/capability.ts";
import {
  agree,
  CheckStatusSchema,
  HealthSchema,
  isoTime,
  ms,
  RangeSchema,
  RangeStatsSchema,
  type Same,
} from "./shared.ts";

export const ModelsQuery = z.object({
  range: RangeSchema.optional().openapi({
    description: "Add `range_stats` (uptime, latency and TTFT percentiles, failures by " +
      "category) over this range to every model.",
  }),
  status: HealthSchema.optional().openapi({ description: "Only the models in this health." }),
  q: z.string().max(200, { error: "must be at most 200 characters" }).optional().openapi({
    description: "Only the models whose id or name contains this text (case-insensitive).",
  }),
  supports: z.string().max(200, { error: "must be at most 200 characters" }).optional()
    .transform((v, ctx): Capability[] | undefined => {
      const wanted = (v ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
      const unknown = wanted.filter((s) => !isCapability(s));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `unknown capability ${JSON.stringify(unknown[0].slice(0, 40))}; must be ` +
            `one or more of ${CAPABILITIES.join(", ")}, comma-separated`,
        });
        return z.NEVER;
      }
      return wanted.length === 0 ? undefined : [...new Set(wanted)] as Capability[];
    })
    .openapi({
      type: "string",
      description: "Only the models whose capabilities a check verified (`verified: true`), " +
        `all of them: one or more of ${CAPABILITIES.join(", ")}, comma-separated ` +
        "(`tools,json`). Claimed but unverified models are left out; empty means no filter.",
      example: "tools,json",
    }),
});

// ---- Capabilities: the catalog's claim beside the latest verdict ------------------------

const CapabilityStatusSchema = z.object({
  claimed: z.boolean().openapi({
    description: "The catalog lists it (`supported_parameters` or `input_modalities`).",
  }),
  verified: z.boolean().nullable().openapi({
    description: "The latest conclusive check: true (it works), false (asked, and it did not " +
      "do it) or null (not checked yet, or not applicable because the catalog does not " +
      "claim it).",
  }),
  checked_at: isoTime("When that check ran; null with `verified: null`").nullable(),
  detail: z.string().nullable().openapi({
    description: "The check's verdict in a few words, e.g. `answered in prose`.",
    example: "answered in prose",
  }),
}).openapi("CapabilityStatus");

export const CapabilitiesSchema = z.object({
  tools: CapabilityStatusSchema,
  json: CapabilityStatusSchema,
  vision: CapabilityStatusSchema,
  reasoning: CapabilityStatusSchema,
}).openapi("Capabilities", {
  description: "Per capability (tools: function calling; json: a strict `json_schema` " +
    "response format; vision: image input; reasoning: reasoning tokens), what the catalog " +
    "claims and what Scouter's checks verified.",
});

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
  capabilities: CapabilitiesSchema,
  range_stats: RangeStatsSchema.optional().openapi({
    description: "Present when `range` was asked for.",
  }),
}).openapi("ModelListItem");

const CatalogEventSchema = z.object({
  kind: z.enum(["added", "removed", "returned", "capability_lost", "capability_gained"])
    .openapi({
      description: "added, removed, returned: the catalog listing; capability_lost, " +
        "capability_gained: a capability check's verdict changed.",
    }),
  at: isoTime("When the catalog change was seen"),
  run_id: z.number().int().nullable(),
  detail: z.string().nullable().openapi({
    description: "The capability (tools, json, vision, reasoning) a capability_lost or " +
      "capability_gained event is about; null for the others.",
  }),
}).openapi("CatalogEvent");

export const ModelDetailSchema = z.object({
  ...modelSummaryShape,
  capabilities: CapabilitiesSchema,
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

agree<Same<z.infer<typeof ModelSummarySchema>, ModelSummary>>();
agree<Same<z.infer<typeof ModelDetailSchema>, ModelDetail & { capabilities: Capabilities }>>();
agree<Same<z.infer<typeof CapabilityStatusSchema>, CapabilityStatus>>();
agree<Same<z.infer<typeof CatalogEventSchema>, CatalogEvent>>();
