/**
 * GET /api/export/checks: one model's checks over a time range, as CSV or JSON, for a
 * spreadsheet or your own analysis. Oldest first; skipped checks included (with `skip_reason`).
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { CheckRow } from "../../lib/db/store.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { errorResponse, TimeParam as time, unknownModel } from "./schemas/shared.ts";

export const EXPORT_MAX_ROWS = 100_000;
export const EXPORT_MAX_SPAN_MS = 400 * 86_400_000;
const DEFAULT_SPAN_MS = 7 * 86_400_000;

export const ExportQuery = z.object({
  model_id: z.string({ error: "is required" }).min(1, { error: "must not be empty" }).max(512, {
    error: "must be at most 512 characters",
  }).openapi({ example: "meta-llama/llama-3.3-70b-instruct:free" }),
  from: time.optional().openapi({
    description: "Start, inclusive (default: 7 days before `to`). A date means 00:00 UTC.",
  }),
  to: time.optional().openapi({ description: "End, exclusive (default: now)." }),
  format: z.enum(["csv", "json"], { error: "must be csv or json" }).default("csv"),
});

export const CHECK_FIELDS = [
  "checked_at",
  "model_id",
  "run_id",
  "status",
  "ok",
  "http_status",
  "latency_ms",
  "ttft_ms",
  "attempts",
  "output_tokens",
  "tokens_per_second",
  "provider",
  "error",
  "skip_reason",
] as const;

const ExportedCheckSchema = z.object({
  checked_at: z.string(),
  model_id: z.string(),
  run_id: z.number().int(),
  status: z.string(),
  ok: z.boolean(),
  http_status: z.number().int().nullable(),
  latency_ms: z.number().nullable(),
  ttft_ms: z.number().nullable(),
  attempts: z.number().int(),
  output_tokens: z.number().int().nullable(),
  tokens_per_second: z.number().nullable(),
  provider: z.string().nullable(),
  error: z.string().nullable(),
  skip_reason: z.string().nullable(),
}).openapi("ExportedCheck");

export const exportRoute = createRoute({
  method: "get",
  path: "/api/export/checks",
  tags: ["models"],
  summary: "One model's checks over a range, as CSV (default) or JSON",
  request: { query: ExportQuery },
  responses: {
    200: {
      content: {
        "text/csv": { schema: z.string() },
        "application/json": { schema: ExportedCheckSchema.array() },
      },
      description: `The checks, oldest first (at most ${EXPORT_MAX_ROWS}).`,
    },
    400: errorResponse(
      "A parameter is invalid, or the range is too large; the message says which.",
    ),
    404: unknownModel,
  },
});

type Exported = z.infer<typeof ExportedCheckSchema>;

function exported(c: CheckRow): Exported {
  return {
    checked_at: new Date(c.checked_at).toISOString(),
    model_id: c.model_id,
    run_id: c.run_id,
    status: c.status,
    ok: c.ok,
    http_status: c.http_status,
    latency_ms: c.latency_ms,
    ttft_ms: c.ttft_ms,
    attempts: c.attempts,
    output_tokens: c.output_tokens,
    tokens_per_second: c.tokens_per_second,
    provider: c.provider,
    error: c.error,
    skip_reason: c.skip_reason,
  };
}

/**
 * One CSV field (RFC 4180). Text that a spreadsheet would run as a formula (starting with
 * `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`: error texts come from OpenRouter.
 */
export function csvField(v: string | number | boolean | null): string {
  if (v === null) return "";
  if (typeof v !== "string") return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(rows: readonly Exported[]): string {
  const lines = [CHECK_FIELDS.join(",")];
  for (const r of rows) lines.push(CHECK_FIELDS.map((f) => csvField(r[f])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export function exportRoutes(api: OpenAPIHono, deps: AppDeps): void {
  api.openapi(exportRoute, async (c) => {
    const q = c.req.valid("query");
    const to = q.to ?? deps.now();
    const from = q.from ?? to - DEFAULT_SPAN_MS;
    if (from >= to) return c.json({ error: "from: must be before to" }, 400);
    if (to - from > EXPORT_MAX_SPAN_MS) {
      return c.json({ error: "from: the range may span at most 400 days" }, 400);
    }
    const checks = await deps.store.listChecks({
      modelId: q.model_id,
      from,
      to,
      limit: EXPORT_MAX_ROWS + 1,
    });
    if (checks.length > EXPORT_MAX_ROWS) {
      return c.json({
        error: `from: the range holds more than ${EXPORT_MAX_ROWS} checks; ask for a shorter one`,
      }, 400);
    }
    if (checks.length === 0 && await deps.store.getModel(q.model_id) === null) {
      const any = await deps.store.listChecks({ modelId: q.model_id, limit: 1 });
      if (any.length === 0) {
        return c.json({ error: `unknown model: ${JSON.stringify(q.model_id.slice(0, 200))}` }, 404);
      }
    }
    const rows = checks.map(exported);
    const name = `scouter-${q.model_id.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 100)}-${
      new Date(from).toISOString().slice(0, 10)
    }-${new Date(to).toISOString().slice(0, 10)}.${q.format}`;
    c.header("Content-Disposition", `attachment; filename="${name}"`);
    c.header("Cache-Control", "no-store");
    if (q.format === "json") return c.json(rows, 200);
    c.header("Content-Type", "text/csv; charset=utf-8");
    return c.body(toCsv(rows), 200);
  });
}
