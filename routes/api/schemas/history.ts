/** One model's check history: GET /api/models/{model_id}/history, its query and its points. */
import { z } from "@hono/zod-openapi";
import type { HistoryPoint } from "../../../lib/stats/types.ts";
import { FAULTS } from "../../../lib/domain/check.ts";
import {
  agree,
  CheckStatusSchema,
  intParam,
  isoTime,
  ms,
  RangeSchema,
  type Same,
} from "./shared.ts";

export const HISTORY_LIMIT = { min: 1, max: 5000, def: 500 } as const;

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
  fault: z.enum(FAULTS).nullable().openapi({
    description: "Who was at fault: the model, its upstream provider, OpenRouter's shared free " +
      "capacity for it, the account's limits, or OpenRouter itself; null when ok.",
  }),
  source: z.enum(["probe", "traffic"]).openapi({
    description: "Who measured it: `probe`, a scan; `traffic`, a request routed through /v1 " +
      "(measurements only: the prompt and the answer are never stored).",
  }),
}).openapi("HistoryPoint");

agree<Same<z.infer<typeof HistoryPointSchema>, HistoryPoint>>();
