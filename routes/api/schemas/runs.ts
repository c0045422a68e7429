/** The scan runs: GET /api/runs, its query and a run's summary (also the summary's last run). */
import { z } from "@hono/zod-openapi";
import { RUN_STATUSES } from "../../../lib/domain/check.ts";
import type { RunSummary } from "../../../lib/stats/types.ts";
import { agree, intParam, isoTime, type Same } from "./shared.ts";

export const RUNS_LIMIT = { min: 1, max: 1000, def: 50 } as const;

export const RunsQuery = z.object({
  limit: intParam(RUNS_LIMIT.min, RUNS_LIMIT.max, RUNS_LIMIT.def, "At most this many runs"),
});

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
  incident: z.string().nullable().openapi({
    description: "Most models of the run failing alike at once (the same 5xx or 401): an " +
      "OpenRouter incident, not every model down; those checks have fault `openrouter`.",
  }),
  traffic_measured: z.number().int().openapi({
    description: "Selected models not probed because routed traffic (/v1) measured them in the " +
      "last OPENROUTER_SCOUT_TRAFFIC_FRESH_MINUTES; their traffic checks stand, no check is written.",
  }),
}).openapi("Run");

agree<Same<z.infer<typeof RunSummarySchema>, RunSummary>>();
