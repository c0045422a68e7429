/** The scanner as the API shows it: its state (in the summary) and POST /api/scan's answer. */
import { z } from "@hono/zod-openapi";
import { isoTime } from "./shared.ts";

export const ScanningSchema = z.object({
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

export const ScanStartedSchema = z.object({ status: z.literal("started") }).openapi(
  "ScanStarted",
);
