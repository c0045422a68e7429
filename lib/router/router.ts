/**
 * The router: an OpenAI-compatible chat endpoint over the free models, choosing from what
 * Scouter has measured, failing over before the client sees a byte, and learning from every
 * routed attempt (a 'traffic' check, the model's circuit breaker). HTTP-agnostic: routes/v1
 * turns a RouterReply into a Response.
 */
import type { Store } from "../db/store.ts";
import type { CheckResult } from "../domain/check.ts";
import {
  insertTrafficChecks,
  lastCheckId,
  loadBreakers,
  probeOutcomesSince,
  saveBreaker,
  trafficRunId,
} from "../db/router.ts";
import type { Passthrough } from "../openrouter/passthrough.ts";
import { recommend } from "../recommend/mod.ts";
import { type Clock, systemClock } from "../scan/clock.ts";
import type { Pacer } from "../scan/pacer.ts";
import { attempt, type AttemptResult } from "./attempt.ts";
import { completionOf } from "./assemble.ts";
import {
  admit,
  type BreakerPolicy,
  type BreakerState,
  CLOSED,
  DEFAULT_BREAKER_POLICY,
  recordFailure,
  recordSuccess,
} from "./breaker.ts";
import { AUTO_MODEL, chooseCandidates, type ModelFacts, verdictsOf } from "./candidates.ts";
import { capabilitiesByModel } from "../stats/capabilities.ts";
import { MAX_ACCOUNT_WAIT_MS, routeRequest, type RouteResult, type RouteStep } from "./failover.ts";
import { trafficCheck } from "./traffic.ts";

export { AUTO_MODEL } from "./candidates.ts";
export { MAX_ACCOUNT_WAIT_MS } from "./failover.ts";

export interface RouterOptions {
  store: Store;
  /** null without an API key: every completion is a 503 saying so. */
  passthrough: Passthrough | null;
  /** The process's shared pacer (its traffic view: lib/router/priority.ts). */
  pacer: Pacer;
  maxAttempts: number;
  firstTokenMs: number;
  /** The whole answer, once it started (default 10 min). */
  answerTimeoutMs?: number;
  breakerPolicy?: BreakerPolicy;
  /** How long a ranking is reused before it is read again (default 5 s). */
  viewTtlMs?: number;
  clock?: Clock;
  monotonic?: () => number;
  log: (message: string) => void;
}

export interface RouterReply {
  status: number;
  headers: Record<string, string>;
  body: string | ReadableStream<Uint8Array>;
}

export interface ModelListItem {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

/** One routed request as the router remembers it: no prompt, no answer. */
export interface Decision {
  at: string;
  route: RouteStep[];
  attempts: number;
  outcome: RouteResult["kind"];
  model: string | null;
  stream: boolean;
  total_ms: number;
}

export interface RouterStats {
  requests: number;
  answered: number;
  failovers: number;
  account_limit_waits: number;
  account_limit_refusals: number;
  per_model: Record<string, { served: number; failed: number; breaker: BreakerState["phase"] }>;
  last_decisions: Decision[];
}

export interface Router {
  models(): Promise<ModelListItem[]>;
  complete(body: Record<string, unknown>, signal: AbortSignal): Promise<RouterReply>;
  stats(): RouterStats;
  /** Resolves when every traffic check and breaker change so far is stored. */
  flush(): Promise<void>;
}

interface View {
  catalog: Map<string, ModelFacts & { created: number | null }>;
  ranked: string[];
  loadedAt: number;
}

const KEEP_DECISIONS = 50;
const WRITE_DELAY_MS = 50;
const WRITE_BATCH = 200;

/** The counters of a router that has routed nothing (or of none at all). */
export function emptyRouterStats(): RouterStats {
  return {
    requests: 0,
    answered: 0,
    failovers: 0,
    account_limit_waits: 0,
    account_limit_refusals: 0,
    per_model: {},
    last_decisions: [],
  };
}

export function createRouter(opts: RouterOptions): Router {
  const clock = opts.clock ?? systemClock;
  const monotonic = opts.monotonic ?? (() => performance.now());
  const policy = opts.breakerPolicy ?? DEFAULT_BREAKER_POLICY;
  const ttl = opts.viewTtlMs ?? 5_000;
  const breakers = new Map<string, BreakerState>();
  let probeCursor: number | null = null;
  let view: View | null = null;
  let loading: Promise<View> | null = null;
  let writes: Promise<unknown> = Promise.resolve();
  let runId: Promise<number> | null = null;
  const stats = emptyRouterStats();

  /** Serialised background writes; a failure is logged, never the client's problem. */
  function write(what: string, task: () => Promise<unknown>): void {
    writes = writes.then(task).catch((err) =>
      opts.log(`router: could not store ${what}: ${(err as Error).message}`)
    );
  }

  function setBreaker(model: string, next: BreakerState): void {
    const prev = breakers.get(model) ?? CLOSED;
    breakers.set(model, next);
    if (prev.phase === next.phase && prev.failures === next.failures && prev.since === next.since) {
      return;
    }
    write("a breaker", () =>
      saveBreaker(opts.store.client, {
        model_id: model,
        state: next.phase,
        failures: next.failures,
        since: next.since,
      }, clock.now()));
  }

  /** Probe results since the last look move the breakers too. */
  async function followProbes(): Promise<void> {
    if (probeCursor === null) {
      for (const b of await loadBreakers(opts.store.client)) {
        breakers.set(b.model_id, { phase: b.state, failures: b.failures, since: b.since });
      }
      probeCursor = await lastCheckId(opts.store.client);
      return;
    }
    const outcomes = await probeOutcomesSince(opts.store.client, probeCursor);
    for (const o of outcomes) {
      const state = breakers.get(o.model_id) ?? CLOSED;
      setBreaker(
        o.model_id,
        o.status === "ok" ? recordSuccess(state) : recordFailure(state, policy, o.checked_at),
      );
      probeCursor = o.id;
    }
  }

  async function loadView(): Promise<View> {
    const now = clock.now();
    const [models, ranking, caps] = await Promise.all([
      opts.store.listModels({ presentOnly: true }),
      recommend(opts.store, { minContext: null, tools: false, modalities: [], limit: 1_000 }, now),
      capabilitiesByModel(opts.store.client),
      followProbes(),
    ]);
    return {
      // Each model with its capability verdicts: a verified "no" is never a candidate.
      catalog: new Map(models.map((m) => [m.id, { ...m, verified: verdictsOf(caps.get(m.id)) }])),
      ranked: ranking.fallback_models,
      loadedAt: now,
    };
  }

  /** The cached view; a stale one is served while the next loads. */
  async function currentView(): Promise<View> {
    const fresh = view !== null && clock.now() - view.loadedAt < ttl;
    if (!fresh && loading === null) {
      loading = loadView().then((v) => (view = v)).finally(() => (loading = null));
    }
    if (view !== null) return view;
    return await loading!;
  }

  /** Traffic checks wait up to WRITE_DELAY_MS and are written together. */
  let queued: CheckResult[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  function queueCheck(check: CheckResult): void {
    queued.push(check);
    if (queued.length >= WRITE_BATCH) writeQueued();
    else flushTimer ??= setTimeout(writeQueued, WRITE_DELAY_MS);
  }
  function writeQueued(): void {
    if (flushTimer !== null) clearTimeout(flushTimer);
    flushTimer = null;
    const batch = queued;
    queued = [];
    if (batch.length === 0) return;
    write(`${batch.length} traffic check(s)`, async () => {
      runId ??= trafficRunId(opts.store.client);
      const id = await runId.catch((e) => {
        runId = null;
        throw e;
      });
      await insertTrafficChecks(opts.store.client, id, batch);
    });
  }

  function modelStats(model: string) {
    return stats.per_model[model] ??= { served: 0, failed: 0, breaker: "closed" };
  }

  function record(model: string, result: AttemptResult, checkedAt: number): void {
    const store = (reply: Parameters<typeof trafficCheck>[1], tools: boolean) => {
      const check = trafficCheck(model, reply, checkedAt, tools, clock.now());
      if (!check) return;
      const state = breakers.get(model) ?? CLOSED;
      setBreaker(
        model,
        check.status === "ok" ? recordSuccess(state) : recordFailure(state, policy, clock.now()),
      );
      modelStats(model).breaker = (breakers.get(model) ?? CLOSED).phase;
      queueCheck(check);
    };
    if (result.kind === "judged") {
      modelStats(model).failed++;
      store(result.reply, false);
    } else {
      modelStats(model).served++;
      result.finished.then(({ reply, acc }) => store(reply, acc.toolCalls.length > 0));
    }
  }

  async function models(): Promise<ModelListItem[]> {
    const v = await currentView();
    const now = Math.floor(clock.now() / 1000);
    const free = [...v.catalog.values()].filter((m) => !m.is_router);
    return [
      { id: AUTO_MODEL, object: "model", created: 0, owned_by: "scouter" },
      ...free.map((m): ModelListItem => ({
        id: m.id,
        object: "model",
        created: m.created ?? now,
        owned_by: m.id.includes("/") ? m.id.split("/")[0] : "openrouter",
      })),
    ];
  }

  async function complete(
    body: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<RouterReply> {
    const started = monotonic();
    stats.requests++;
    const v = await currentView();
    const choice = chooseCandidates(body, v.catalog, v.ranked);
    if (choice.kind === "bad_request") {
      return errorReply(400, choice.message, "invalid_request_error", choice.code);
    }
    if (opts.passthrough === null) {
      return errorReply(
        503,
        "Routing is off: OPENROUTER_API_KEY is not set on the Scouter server.",
        "server_error",
        "no_api_key",
      );
    }
    const passthrough = opts.passthrough;
    const stream = body.stream === true;
    const upstreamBody: Record<string, unknown> = { ...body };
    delete upstreamBody.models;
    const result = await routeRequest(
      {
        pacer: opts.pacer,
        clock,
        maxAttempts: opts.maxAttempts,
        admit(model) {
          const { allowed, next } = admit(breakers.get(model) ?? CLOSED, policy, clock.now());
          if (allowed) setBreaker(model, next);
          return allowed;
        },
        attempt: (model, sig) =>
          attempt(
            {
              passthrough,
              now: () => clock.now(),
              monotonic,
              firstTokenMs: opts.firstTokenMs,
              answerTimeoutMs: opts.answerTimeoutMs ?? 600_000,
            },
            { ...upstreamBody, model },
            sig,
          ),
        record,
        onAccountWait: () => stats.account_limit_waits++,
      },
      choice.ids,
      signal,
    );

    const tried = result.route.filter((s) => !s.outcome.startsWith("account_")).length;
    if (tried > 1) stats.failovers += tried - 1;
    const headers: Record<string, string> = {
      "X-Scouter-Attempts": String(tried),
      "X-Scouter-Route": routeHeader(result.route),
    };
    const decide = (model: string | null) => {
      stats.last_decisions.unshift({
        at: new Date(clock.now()).toISOString(),
        route: result.route,
        attempts: tried,
        outcome: result.kind,
        model,
        stream,
        total_ms: Math.round(monotonic() - started),
      });
      stats.last_decisions.length = Math.min(stats.last_decisions.length, KEEP_DECISIONS);
    };

    switch (result.kind) {
      case "answered": {
        stats.answered++;
        decide(result.model);
        headers["X-Scouter-Model"] = headerSafe(result.model);
        if (stream) {
          return {
            status: 200,
            headers: {
              ...headers,
              "Content-Type": "text/event-stream",
              "Cache-Control": "no-store",
            },
            body: result.answer.stream,
          };
        }
        // Not streaming: read the rest (no byte has reached the client), then one JSON body.
        await result.answer.stream.pipeTo(new WritableStream()).catch(() => {});
        const { acc } = await result.answer.finished;
        return {
          status: 200,
          headers: { ...headers, "Content-Type": "application/json" },
          body: JSON.stringify(completionOf(acc, result.model)),
        };
      }
      case "client_error": {
        decide(result.model);
        const status = result.judged.reply.http_status ?? 400;
        const message = result.judged.reply.error?.message ?? `HTTP ${status}`;
        return errorReply(status, message, "invalid_request_error", status, headers);
      }
      case "account_limit":
        stats.account_limit_refusals++;
        decide(null);
        return errorReply(
          429,
          result.message,
          "rate_limit_error",
          result.scope === "day" ? "account_daily_limit" : "account_minute_limit",
          { ...headers, "Retry-After": String(result.retryAfterSeconds) },
        );
      case "key_rejected":
        decide(null);
        return errorReply(
          502,
          `OpenRouter refused the Scouter server's API key: ${result.message}`,
          "server_error",
          "key_rejected",
          headers,
        );
      case "exhausted":
        decide(null);
        return result.tried === 0
          ? errorReply(
            503,
            "No free model can take this request now (none fits it, or every one that does " +
              "is cooling down after failures).",
            "server_error",
            "no_model_available",
            headers,
          )
          : errorReply(
            502,
            `${result.tried} free model(s) tried, none answered: ${routeHeader(result.route)}`,
            "server_error",
            "all_candidates_failed",
            headers,
          );
      case "aborted":
        decide(null);
        return errorReply(499, "the client went away", "server_error", "aborted", headers);
    }
  }

  return {
    models,
    complete,
    stats: () => structuredClone(stats),
    flush: async () => {
      writeQueued();
      await writes;
    },
  };
}

export function errorReply(
  status: number,
  message: string,
  type: string,
  code: string | number,
  headers: Record<string, string> = {},
): RouterReply {
  return {
    status,
    headers: { ...headers, "Content-Type": "application/json" },
    body: JSON.stringify({ error: { message, type, code } }),
  };
}

/** `a:free=upstream_429,b:free=ok`, printable ASCII only. */
export function routeHeader(route: readonly RouteStep[]): string {
  return headerSafe(route.map((s) => `${s.model}=${s.outcome}`).join(","));
}

function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").slice(0, 1_000);
}

/** How long a routed request may wait out the account's per-minute limit, in seconds. */
export const ACCOUNT_WAIT_SECONDS = MAX_ACCOUNT_WAIT_MS / 1000;
