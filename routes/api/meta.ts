/** GET /healthz and GET /openapi.json. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppDeps } from "../../lib/web/deps.ts";
import { SCOUTER_VERSION } from "../../lib/version.ts";
import { HealthzSchema } from "./schemas/meta.ts";
import { jsonResponse } from "./schemas/shared.ts";

export const healthzRoute = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["meta"],
  summary: "Liveness and database check",
  responses: {
    200: jsonResponse(HealthzSchema, "The server is up and the database answers."),
    503: jsonResponse(HealthzSchema, "The database does not answer."),
  },
});

export const OPENAPI_INFO = {
  openapi: "3.1.0",
  info: {
    title: "Scouter API",
    version: SCOUTER_VERSION,
    description: "Which of OpenRouter's free models answer, now and over time. Every error " +
      'is `{"error": "…"}`: 400 for a bad parameter (the message names it), 404 for an ' +
      "unknown model or endpoint. Times are ISO 8601 (UTC); latencies are milliseconds. " +
      "Skipped checks (the account's quota, not the model) never count as downtime.",
  },
};

export function metaRoutes(api: OpenAPIHono, deps: AppDeps): void {
  api.openapi(healthzRoute, async (c) => {
    try {
      await deps.store.client.execute("SELECT 1");
      return c.json({ status: "ok" as const, version: SCOUTER_VERSION, db: "ok" as const }, 200);
    } catch {
      return c.json({
        status: "error" as const,
        version: SCOUTER_VERSION,
        db: "error" as const,
        error: "the database does not answer",
      }, 503);
    }
  });
  // Generated once, on first request: by then every route has registered itself.
  let doc: ReturnType<typeof api.getOpenAPI31Document> | undefined;
  api.get("/openapi.json", (c) => c.json(doc ??= api.getOpenAPI31Document(OPENAPI_INFO)));
}
