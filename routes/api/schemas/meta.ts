/** GET /healthz: the process and its database. */
import { z } from "@hono/zod-openapi";

export const HealthzSchema = z.object({
  status: z.enum(["ok", "error"]),
  version: z.string(),
  db: z.enum(["ok", "error"]),
  error: z.string().optional(),
}).openapi("Healthz");
