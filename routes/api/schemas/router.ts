/** The router's observability: GET /api/router, its query and its answer. */
import { z } from "@hono/zod-openapi";
import { ROUTER_RANGES } from "../../../lib/stats/router.ts";
import type { RouterReport } from "../../../lib/web/router_report.ts";
import { agree, isoTime, type Same } from "./shared.ts";

export const RouterQuery = z.object({
  range: z.enum(ROUTER_RANGES, { error: `must be one of ${ROUTER_RANGES.join(", ")}` })
    .default("24h").openapi({
      description: "The history's range: the last 24 hours or 7 days, hour by hour (default 24h).",
      default: "24h",
    }),
});

const count = (description: string) => z.number().int().openapi({ description });
const BreakerSchema = z.enum(["closed", "open", "half_open"]);

const StepSchema = z.object({
  model: z.string(),
  outcome: z.string().openapi({
    description: "`ok`, or what went wrong (`upstream_429`, `timeout`, `unavailable`, " +
      "`request_rejected`, `account_minute_limit` …). Models skipped by an open breaker are " +
      "not listed.",
  }),
});

const DecisionSchema = z.object({
  at: isoTime("When the request ended"),
  route: z.array(StepSchema).openapi({
    description: "Every model tried, in order (as the X-Scouter-Route header).",
  }),
  attempts: count("Models that were sent the request."),
  outcome: z.enum([
    "answered",
    "client_error",
    "account_limit",
    "key_rejected",
    "exhausted",
    "aborted",
  ]),
  model: z.string().nullable().openapi({ description: "The model that answered, if any." }),
  stream: z.boolean(),
  total_ms: count("From the request's arrival to its answer's start (streaming) or end."),
}).openapi("RouterDecision");

const HourSchema = z.object({
  hour: isoTime("Start of the UTC hour"),
  requests: count("Requests routed (from router_hours)."),
  answered: count("Requests answered."),
  failovers: count("Attempts after a request's first (models that failed before one answered)."),
  account_limit_waits: count("Waits for the account's per-minute limit."),
  account_limit_refusals: count("Requests refused with 429 for the account's limits."),
  attempts: count("Routed attempts that reached a model (traffic checks)."),
  attempts_ok: count("Attempts answered."),
  attempts_failed: count("Attempts that failed."),
  served: z.array(z.object({ model_id: z.string(), answers: z.number().int() })).openapi({
    description: "Answers per model that served them, most first.",
  }),
}).openapi("RouterHour");

export const RouterReportSchema = z.object({
  enabled: z.boolean().openapi({
    description: "Whether /v1 is on (OPENROUTER_SCOUT_ROUTER_TOKEN set). Off: the counters are " +
      "0, `since` null and the lists empty; `history` still shows what is stored.",
  }),
  since: isoTime("When the in-memory counters started: the server's start").nullable(),
  requests: count("Requests routed since the start."),
  answered: count("Requests answered."),
  failovers: count("Attempts after a request's first, summed over requests."),
  account_limit_waits: count("Waits for the account's per-minute limit."),
  account_limit_refusals: count("Requests refused with 429 for the account's limits."),
  per_model: z.array(z.object({
    model_id: z.string(),
    served: count("Attempts it answered."),
    failed: count("Attempts that failed on it."),
    breaker: BreakerSchema.openapi({ description: "Its breaker after its latest routed attempt." }),
  })).openapi({ description: "Models tried since the start, most served first." }),
  open_breakers: z.array(z.object({
    model_id: z.string(),
    state: z.enum(["open", "half_open"]),
    failures: count("Failures in a row."),
    since: isoTime("When it opened, or its half-open trial started").nullable(),
  })).openapi({
    description: "Breakers not closed now, as stored (probes move them too): their models are " +
      "skipped until the cool-down ends.",
  }),
  last_decisions: z.array(DecisionSchema).openapi({
    description: "The latest routed requests, newest first (at most 50; no prompt, no answer).",
  }),
  history: z.object({
    range: z.enum(ROUTER_RANGES),
    from: isoTime("Start of the first hour"),
    to: isoTime("Now: the last hour is the current, partial one"),
    hours: z.array(HourSchema).openapi({
      description: "Every hour of the range, oldest first, zeros where nothing was routed.",
    }),
    by_model: z.array(z.object({
      model_id: z.string(),
      attempts: z.number().int(),
      ok: z.number().int(),
      failed: z.number().int(),
    })).openapi({ description: "Routed attempts per model over the range, most answers first." }),
  }).openapi({
    description: "Stored, so it outlives restarts: requests and failovers per hour, and the " +
      "routed attempts (traffic checks) by the model that served or failed them.",
  }),
}).openapi("RouterReport");

agree<Same<z.infer<typeof RouterReportSchema>, RouterReport>>();
