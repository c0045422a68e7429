/**
 * GET /api/models, GET /api/models/{model_id}, GET /api/models/{model_id}/history.
 *
 * A model id holds `/` and `:`, which Hono's path parameters do not match, and
 * `/:id{.+}/history` next to `/:id{.+}` routes differently under each of Hono's routers. So
 * the two per-model endpoints share one route, `/api/models/:rest{.+}`, that splits the
 * sub-resource off by hand (validating with the same zod schemas); their documentation is
 * registered separately, under the paths users see.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { modelDetail } from "../../lib/stats/detail.ts";
import {
  capabilitiesByModel,
  unknownCapabilities,
  verifiedAll,
} from "../../lib/stats/capabilities.ts";
import { modelHistory } from "../../lib/stats/history.ts";
import { emptyRangeStats, rangeStatsByModel } from "../../lib/stats/ranges.ts";
import { modelSummaries } from "../../lib/stats/summaries.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { describeIssues } from "./errors.ts";
import { HistoryPointSchema, HistoryQuery } from "./schemas/history.ts";
import { ModelDetailSchema, ModelListItemSchema, ModelsQuery } from "./schemas/models.ts";
import { badRequest, jsonResponse, ModelIdParams, unknownModel } from "./schemas/shared.ts";

export const listModelsRoute = createRoute({
  method: "get",
  path: "/api/models",
  tags: ["models"],
  summary: "Every free model with its current health",
  description: "The models in OpenRouter's free catalog now (`present: true`), sorted by id, " +
    "then those removed from it that were checked over the last 7 days (`present: false`). " +
    "The Python scouter's fields (model_id, uptime_24h, avg_latency_24h, " +
    "consecutive_failures, latest_status, sparkline_data) keep their names and meaning. " +
    "`capabilities` holds each capability's catalog claim beside the latest verdict of " +
    "Scouter's capability checks; `supports` keeps only the models verified to have them.",
  request: { query: ModelsQuery },
  responses: {
    200: jsonResponse(ModelListItemSchema.array(), "The models."),
    400: badRequest,
  },
});

export const modelRoute = createRoute({
  method: "get",
  path: "/api/models/{model_id}",
  tags: ["models"],
  summary: "One model: its summary, catalog facts, stats over every range and catalog events",
  request: { params: ModelIdParams },
  responses: {
    200: jsonResponse(ModelDetailSchema, "The model."),
    400: badRequest,
    404: unknownModel,
  },
});

export const historyRoute = createRoute({
  method: "get",
  path: "/api/models/{model_id}/history",
  tags: ["models"],
  summary: "One model's checks, oldest first",
  description: "Every check of the model over `range` (skipped ones included, with " +
    '`status: "skipped"`), oldest first; when there are more than `limit`, the newest ' +
    "`limit` of them.",
  request: { params: ModelIdParams, query: HistoryQuery },
  responses: {
    200: jsonResponse(HistoryPointSchema.array(), "The checks."),
    400: badRequest,
    404: unknownModel,
  },
});

const MODELS_PREFIX = "/api/models/";
const HISTORY_SUFFIX = "/history";

export function modelRoutes(api: OpenAPIHono, deps: AppDeps): void {
  api.openapi(listModelsRoute, async (c) => {
    const { range, status, q, supports } = c.req.valid("query");
    const now = deps.now();
    const [summaries, stats, caps] = await Promise.all([
      modelSummaries(deps.store, now),
      range ? rangeStatsByModel(deps.store, range, now) : null,
      capabilitiesByModel(deps.store.client),
    ]);
    const needle = q?.trim().toLowerCase() ?? "";
    const rows = summaries
      .map((m) => ({ ...m, capabilities: caps.get(m.model_id) ?? unknownCapabilities() }))
      .filter((m) => status === undefined || m.health === status)
      .filter((m) =>
        needle === "" || m.model_id.toLowerCase().includes(needle) ||
        m.name.toLowerCase().includes(needle)
      )
      .filter((m) => supports === undefined || verifiedAll(m.capabilities, supports));
    if (range && stats) {
      return c.json(
        rows.map((m) => ({
          ...m,
          range_stats: stats.get(m.model_id) ?? emptyRangeStats(range),
        })),
        200,
      );
    }
    return c.json(rows, 200);
  });

  api.openAPIRegistry.registerPath(modelRoute);
  api.openAPIRegistry.registerPath(historyRoute);
  api.get(`${MODELS_PREFIX}:rest{.+}`, async (c) => {
    const target = splitModelPath(rawPath(c));
    if (target === null) return c.json({ error: "model_id: malformed percent-encoding" }, 400);
    const params = ModelIdParams.safeParse({ model_id: target.id });
    if (!params.success) return c.json({ error: describeIssues(params.error) }, 400);
    const id = params.data.model_id;
    const now = deps.now();

    if (!target.history) {
      const [detail, caps] = await Promise.all([
        modelDetail(deps.store, id, now),
        capabilitiesByModel(deps.store.client, [id]),
      ]);
      if (detail === null) return c.json({ error: unknownModelMessage(id) }, 404);
      return c.json({ ...detail, capabilities: caps.get(id) ?? unknownCapabilities() }, 200);
    }

    const query = HistoryQuery.safeParse(queryObject(c));
    if (!query.success) return c.json({ error: describeIssues(query.error) }, 400);
    const history = await modelHistory(deps.store, id, query.data.range, now, query.data.limit);
    if (history.length === 0 && await deps.store.getModel(id) === null) {
      // No checks in range: tell an unknown id (404) from a quiet model (200 []).
      const any = await deps.store.listChecks({ modelId: id, limit: 1 });
      if (any.length === 0) return c.json({ error: unknownModelMessage(id) }, 404);
    }
    return c.json(history, 200);
  });
}

function unknownModelMessage(id: string): string {
  const shown = id.length > 200 ? `${id.slice(0, 200)}…` : id;
  return `unknown model: ${JSON.stringify(shown)}`;
}

/** The request path as sent, percent-encoding intact (Hono's `c.req.path` decodes some). */
function rawPath(c: Context): string {
  return new URL(c.req.url).pathname;
}

/**
 * Splits `/api/models/<id>[/history]` (raw, still percent-encoded). A literal trailing
 * `/history` names the sub-resource; an encoded one (`%2Fhistory`) is part of the id. Null when
 * the id's percent-encoding is malformed.
 */
export function splitModelPath(path: string): { id: string; history: boolean } | null {
  const at = path.indexOf(MODELS_PREFIX);
  let rest = path.slice(at + MODELS_PREFIX.length);
  const history = rest.endsWith(HISTORY_SUFFIX);
  if (history) rest = rest.slice(0, -HISTORY_SUFFIX.length);
  try {
    return { id: decodeURIComponent(rest), history };
  } catch {
    return null;
  }
}

/** The query as zod-openapi's validator sees it: one value a string, several an array. */
function queryObject(c: Context): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0] : v]),
  );
}
