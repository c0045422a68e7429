/**
 * scouter_router_*: the router's counters since the server started, read from memory on every
 * scrape (they are Prometheus counters: they reset when the server restarts). With the router
 * off only `scouter_router_enabled 0` is written, not a row of zeros that looks like idle traffic.
 */
import type { Family } from "./prometheus.ts";

/** What is read of the router's stats (lib/router's RouterStats has this shape). */
export interface RouterCounters {
  requests: number;
  answered: number;
  failovers: number;
  account_limit_waits: number;
  account_limit_refusals: number;
  per_model: Record<string, { served: number; failed: number; breaker: string }>;
}

const BREAKER_STATES = ["closed", "open", "half_open"] as const;

export function routerFamilies(stats: RouterCounters | null): Family[] {
  const enabled: Family = {
    name: "scouter_router_enabled",
    help: "1 when the OpenAI-compatible router (/v1) is on (OPENROUTER_SCOUT_ROUTER_TOKEN set).",
    type: "gauge",
    samples: [{ value: stats ? 1 : 0 }],
  };
  if (!stats) return [enabled];
  const counter = (name: string, help: string, value: number): Family => ({
    name,
    help,
    type: "counter",
    samples: [{ value }],
  });
  const models = Object.entries(stats.per_model).sort(([a], [b]) => a.localeCompare(b));
  return [
    enabled,
    counter("scouter_router_requests_total", "Chat requests routed.", stats.requests),
    counter("scouter_router_answered_total", "Routed requests answered.", stats.answered),
    counter(
      "scouter_router_failovers_total",
      "Attempts after a request's first: models that failed before one answered.",
      stats.failovers,
    ),
    counter(
      "scouter_router_account_limit_waits_total",
      "Waits for the account's per-minute free-model limit.",
      stats.account_limit_waits,
    ),
    counter(
      "scouter_router_account_limit_refusals_total",
      "Routed requests refused with 429 for the account's limits (per minute or per day).",
      stats.account_limit_refusals,
    ),
    {
      name: "scouter_router_served_total",
      help: "Routed attempts each model answered.",
      type: "counter",
      samples: models.map(([model_id, m]) => ({ labels: { model_id }, value: m.served })),
    },
    {
      name: "scouter_router_failed_total",
      help: "Routed attempts that failed on each model.",
      type: "counter",
      samples: models.map(([model_id, m]) => ({ labels: { model_id }, value: m.failed })),
    },
    {
      name: "scouter_router_breaker_state",
      help: "Each routed model's circuit breaker: 1 for its state (closed, open, half_open).",
      type: "gauge",
      samples: models.flatMap(([model_id, m]) =>
        BREAKER_STATES.map((state) => ({
          labels: { model_id, state },
          value: m.breaker === state ? 1 : 0,
        }))
      ),
    },
  ];
}
