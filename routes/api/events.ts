/**
 * GET /api/events: the alert events (a model down or back, a free model added, removed or about
 * to expire), newest first — the same events the webhooks receive. GET /feed.xml: the latest
 * of them as an Atom feed.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { ATOM_CONTENT_TYPE, atomFeed } from "../../lib/alerts/feed.ts";
import { eventJson } from "../../lib/alerts/format.ts";
import { ALERT_KINDS, type AlertKind } from "../../lib/domain/alerts.ts";
import { listAlertEvents } from "../../lib/db/alert_events.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { badRequest, jsonResponse, TimeParam } from "./schemas/shared.ts";

export const EVENTS_LIMIT = { min: 1, max: 500, def: 50 } as const;
export const FEED_ENTRIES = 50;

const limitError = `must be a whole number from ${EVENTS_LIMIT.min} to ${EVENTS_LIMIT.max}`;
const kindError = `must be one or more of ${ALERT_KINDS.join(", ")}, comma-separated`;

export const EventsQuery = z.object({
  limit: z.coerce.number({ error: limitError }).int({ error: limitError })
    .min(EVENTS_LIMIT.min, { error: limitError }).max(EVENTS_LIMIT.max, { error: limitError })
    .default(EVENTS_LIMIT.def).openapi({
      description: `At most this many events, the newest (1–500, default ${EVENTS_LIMIT.def})`,
    }),
  kind: z.string().max(200, { error: kindError }).optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const kinds = v.split(",").map((k) => k.trim()).filter((k) => k !== "");
      if (
        kinds.length === 0 || kinds.some((k) => !(ALERT_KINDS as readonly string[]).includes(k))
      ) {
        ctx.addIssue({ code: "custom", message: kindError });
        return z.NEVER;
      }
      return kinds as AlertKind[];
    })
    .openapi({ description: `Only these kinds (${ALERT_KINDS.join(", ")}), comma-separated.` }),
  model_id: z.string().min(1, { error: "must not be empty" }).max(512, {
    error: "must be at most 512 characters",
  }).optional().openapi({ description: "Only the events of this model." }),
  since: TimeParam.optional().openapi({
    description: "Only events at or after this time (ISO 8601; a date means 00:00 UTC).",
  }),
});

export const AlertEventSchema = z.object({
  id: z.number().int(),
  kind: z.enum(ALERT_KINDS),
  model_id: z.string(),
  model_name: z.string(),
  at: z.string().openapi({
    description: "When the change was seen (ISO 8601)",
    format: "date-time",
  }),
  run_id: z.number().int().nullable(),
  title: z.string().openapi({ example: "Meta: Llama 3.3 70B Instruct (free) is down" }),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).openapi({
    description: "Facts behind the event: failures (model_down), down_since (model_recovered), " +
      "expiration_date and days_left (model_expiring), returned (model_added).",
  }),
}).openapi("AlertEvent");

export const eventsRoute = createRoute({
  method: "get",
  path: "/api/events",
  tags: ["alerts"],
  summary: "Alert events, newest first",
  description: "model_down (N failed checks in a row, OPENROUTER_SCOUT_ALERT_DOWN_AFTER), " +
    "model_recovered (M good checks after being down), model_added (new in the free catalog, " +
    "or back), model_removed, model_expiring (expiration_date within " +
    "OPENROUTER_SCOUT_ALERT_EXPIRY_DAYS), capability_lost (a capability verified before failed " +
    "its latest check; details.capability). One event per state change.",
  request: { query: EventsQuery },
  responses: {
    200: jsonResponse(AlertEventSchema.array(), "The events."),
    400: badRequest,
  },
});

export const feedRoute = createRoute({
  method: "get",
  path: "/feed.xml",
  tags: ["alerts"],
  summary: `The latest ${FEED_ENTRIES} alert events as an Atom feed`,
  responses: {
    200: {
      content: { "application/atom+xml": { schema: z.string() } },
      description: "An Atom 1.0 feed.",
    },
  },
});

export function eventRoutes(api: OpenAPIHono, deps: AppDeps): void {
  api.openapi(eventsRoute, async (c) => {
    const q = c.req.valid("query");
    const events = await listAlertEvents(deps.store.client, {
      limit: q.limit,
      kinds: q.kind,
      modelId: q.model_id,
      since: q.since,
      until: deps.now(),
    });
    return c.json(events.map(eventJson), 200);
  });

  api.openAPIRegistry.registerPath(feedRoute);
  api.get("/feed.xml", async (c) => {
    const now = deps.now();
    const events = await listAlertEvents(deps.store.client, { limit: FEED_ENTRIES, until: now });
    c.header("Content-Type", ATOM_CONTENT_TYPE);
    c.header("Cache-Control", "public, max-age=60");
    return c.body(atomFeed(events, new URL(c.req.url).origin, now));
  });
}
