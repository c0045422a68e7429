/** GET /api/summary: the fleet's health counts, the scanner, the last run and the definitions. */
import { z } from "@hono/zod-openapi";
import type { FleetSummary } from "../../../lib/stats/types.ts";
import { RunSummarySchema } from "./runs.ts";
import { ScanningSchema } from "./scan.ts";
import { agree, isoTime, type Same } from "./shared.ts";

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

export const QuotaSchema = z.object({
  limit: z.number().int().openapi({ description: "Free-model requests a UTC day.", example: 50 }),
  remaining: z.number().int().openapi({ example: 38 }),
  used: z.number().int().openapi({ example: 12 }),
  resets_at: isoTime("The next UTC midnight"),
  source: z.enum(["key", "estimate"]).openapi({
    description: "`key`: GET /key's count plus this server's requests since it was read; " +
      "`estimate`: the tier's guess (50, or 1000 with credits) less what Scouter sent today.",
  }),
  kept_back: z.object({
    reserve: z.number().int().openapi({ description: "OPENROUTER_SCOUT_QUOTA_RESERVE." }),
    traffic: z.number().int().openapi({
      description:
        "ceil(OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE × limit) with the router on, else 0.",
    }),
  }).openapi({
    description: "Requests a day probes leave unspent: they stop once `remaining` reaches " +
      "reserve + traffic. Routed traffic may spend them.",
  }),
}).openapi("Quota");

export const SummarySchema = z.object({
  ...fleetShape,
  scanning: ScanningSchema,
  last_run: RunSummarySchema.nullable().openapi({ description: "The newest finished run." }),
  quota: QuotaSchema.nullable().openapi({
    description: "The day's free-model quota; null when scanning is off (no API key).",
  }),
  definitions: z.object({
    healthy: z.string(),
    degraded: z.string(),
    down: z.string(),
    no_data: z.string(),
  }),
}).openapi("Summary");

agree<Same<z.infer<z.ZodObject<typeof fleetShape>>, FleetSummary>>();
