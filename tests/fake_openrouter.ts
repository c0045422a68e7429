/**
 * A fake OpenRouter: a real HTTP server on loopback that speaks OpenRouter's API as the real
 * one does (shapes taken from the samples in tests/fixtures/openrouter), with per-model
 * scripted behaviours and account rate limits driven by an injectable clock.
 *
 * ```ts
 * const fake = await startFakeOpenRouter({ models: [{ id: "a/b:free", behaviors: ["upstream_429", "ok"] }] });
 * // … point the client at fake.url …
 * await fake.close();
 * ```
 */

/** What one chat attempt against a model does. */
export type Behavior =
  /** 200 SSE with the answer the prompt asks for (see FakeModelSpec.answer). */
  | "ok"
  /** 200 SSE with another text. */
  | "wrong_answer"
  /** 200 SSE, finish_reason "stop", no content. */
  | "empty"
  /** 200 SSE with reasoning deltas only, cut by the token limit (finish_reason "length"). */
  | "reasoning_only"
  /** 429 from the provider (`Provider returned error`, metadata.raw, provider_name). */
  | "upstream_429"
  /** 429 `free-models-per-min` with X-RateLimit-* and Retry-After headers. */
  | "account_429_minute"
  /** 429 `free-models-per-day` with X-RateLimit-* headers (reset at the next UTC midnight). */
  | "account_429_day"
  /**
   * 429 from OpenRouter's shared free capacity for this model ("High demand for X:free on
   * OpenRouter – limited to 15 requests per minute"): `limit_source: openrouter_shared_capacity`,
   * no provider name, X-RateLimit-* of the model's shared limit.
   */
  | "shared_capacity_429"
  | "http_500"
  | "http_502"
  | "http_503"
  /** 404 `No endpoints found for <model>.` */
  | "http_404"
  | "http_400"
  /** 403 with moderation metadata (reasons, flagged_input). */
  | "http_403_moderation"
  | "http_413"
  | "http_408"
  /** 401 `User not found.` */
  | "http_401"
  /** 402 insufficient credits. */
  | "http_402"
  /** 200 SSE: some content, then `{"error":{…}}` with finish_reason "error", no [DONE]. */
  | "error_chunk"
  /** 200 JSON chat.completion whose choices[0] carries an `error`. */
  | "choice_error_200"
  /** 200 JSON chat.completion although the request asked for a stream. */
  | "nonstream_json"
  /** Same, with OpenRouter's leading whitespace/newline padding. */
  | "leading_whitespace_json"
  /** 200 application/json whose body is cut in the middle. */
  | "malformed_json"
  /** 200 SSE whose data line is HTML, not JSON. */
  | "garbage_sse"
  /** 200 SSE that ends cleanly after some content: no finish_reason, no [DONE]. */
  | "truncated_stream"
  /** 200 SSE whose connection is cut after some content (declared length never reached). */
  | "reset_mid_stream"
  /** No response at all until the server closes (the client must time out). */
  | "hang"
  /** 200 SSE whose content chunks each come after `chunkDelayMs` (keep-alive comments between). */
  | "slow"
  /**
   * 200 SSE that sends its role chunk and first content token, then only keep-alive comments
   * (one every `chunkDelayMs`) until the client gives up: a stream stalled mid-answer.
   */
  | "stall";

export const ALL_BEHAVIORS: readonly Behavior[] = [
  "ok",
  "wrong_answer",
  "empty",
  "reasoning_only",
  "upstream_429",
  "account_429_minute",
  "account_429_day",
  "shared_capacity_429",
  "http_500",
  "http_502",
  "http_503",
  "http_404",
  "http_400",
  "http_403_moderation",
  "http_413",
  "http_408",
  "http_401",
  "http_402",
  "error_chunk",
  "choice_error_200",
  "nonstream_json",
  "leading_whitespace_json",
  "malformed_json",
  "garbage_sse",
  "truncated_stream",
  "reset_mid_stream",
  "hang",
  "slow",
  "stall",
];

export interface FakeModelSpec {
  id: string;
  name?: string;
  description?: string;
  /** One per attempt on this model; the last one repeats. Default `["ok"]`. */
  behaviors?: Behavior[];
  /** Delay before the response head, on every attempt (ms). */
  delayMs?: number;
  /** For "slow": the wait before each content chunk (ms, default 300). */
  chunkDelayMs?: number;
  /** The ok answer. Default: X when the prompt says "…exact text: X", else "OK". */
  answer?: string;
  /** The wrong_answer text. Default "I can't help with that.". */
  wrongAnswer?: string;
  /** Reasoning streamed before the answer (and the whole answer of reasoning_only). */
  reasoningText?: string;
  /** The provider named in chunks and provider errors. Default "Chutes". */
  provider?: string;
  /** Zero prices (default true). false gives a paid price; the id is used as given. */
  free?: boolean;
  /** The catalog's `reasoning` object (newer catalog shape). */
  reasoning?: { mandatory?: boolean; supported_efforts?: string[] } | null;
  context_length?: number;
  created?: number;
  expiration_date?: string | null;
  input_modalities?: string[];
  output_modalities?: string[];
  supported_parameters?: string[];
  /**
   * GET /models/{author}/{slug}/endpoints for this model: its endpoints (default: one normal
   * endpoint from `provider`), or a failure.
   */
  endpoints?: FakeEndpoint[] | "http_404" | "http_500" | "hang";
  /**
   * A router like `openrouter/free`: each chat request goes to a free, non-router model of the
   * catalog picked at random (FakeOpenRouterOptions.random), which answers as itself.
   */
  router?: boolean;
  /** When the request has `tools`, an ok answer calls the first tool (`tool_calls`). */
  callsTools?: boolean;
  /**
   * How an "ok" attempt answers a capability check (a request with `tools`, a `json_schema`
   * response format, or an image); unset kinds answer as usual. See FakeCapabilities.
   */
  capabilities?: FakeCapabilities;
}

/** Per-model answers to capability checks (lib/scan/capabilities/), streamed or not. */
export interface FakeCapabilities {
  /**
   * `ok`: calls the first tool with `{"city": <the city the prompt names>}`; `prose`: answers
   * in text; `broken_arguments`: arguments cut mid-JSON; `other_function`: calls `search_web`;
   * `no_city`: `{"location": …}`.
   */
  tools?: "ok" | "prose" | "broken_arguments" | "other_function" | "no_city";
  /** `ok`: `{"country":"France","capital":"Paris"}`; `prose`; `schema_mismatch` (capital 1). */
  json?: "ok" | "prose" | "schema_mismatch";
  /** `names_colour`: "Red."; `wrong`: "Blue." */
  vision?: "names_colour" | "wrong";
}

/** One endpoint as OpenRouter's `PublicEndpoint` lists it; unset fields get typical values. */
export interface FakeEndpoint {
  provider_name?: string;
  tag?: string;
  /** EndpointStatus: 0 normal; negative values degraded/offline. */
  status?: number;
  uptime_last_5m?: number | null;
  uptime_last_30m?: number | null;
  uptime_last_1d?: number | null;
  latency_last_30m?: { p50: number; p75: number; p90: number; p99: number } | null;
  throughput_last_30m?: { p50: number; p75: number; p90: number; p99: number } | null;
  /** Zero prices (default: the model's `free`). */
  free?: boolean;
}

export type CatalogFailure = "http_500" | "http_503" | "not_json" | "no_data" | "hang";
export type KeyFailure = "http_401" | "http_500" | "not_json";

export interface FakeOpenRouterOptions {
  models: FakeModelSpec[];
  /** When set, /key and /chat/completions require `Authorization: Bearer <apiKey>` (else 401). */
  apiKey?: string | null;
  /** Account limit on chat requests per rolling minute → `free-models-per-min` 429s. */
  rpmLimit?: number | null;
  /**
   * Account limit on chat requests: at most `limit` in any `windowMs` (sliding) →
   * `free-models-per-min` 429s whose X-RateLimit-Reset is when the oldest counted one leaves.
   * Beside `rpmLimit` (which is the same with a 60 s window).
   */
  accountWindow?: { limit: number; windowMs: number } | null;
  /** Account 429s name their limit in `error.metadata.limit_source` (default true). */
  limitSource?: boolean;
  /**
   * GET /key reports `free_model_daily_requests` {limit, remaining, used} for the UTC day
   * (default: when `dailyLimit` is set, the limit it enforces; else 50, or 1000 when not
   * `is_free_tier`).
   */
  reportDailyRequests?: boolean;
  /** Account limit on chat requests per UTC day → `free-models-per-day` 429s. */
  dailyLimit?: number | null;
  /** `"data"`: `{data}`; `"paginated"`: `{data, total_count, links: {next}}`. */
  catalogShape?: "data" | "paginated";
  /** Paginated shape only: models per page (default: all on one page, `next: null`). */
  pageSize?: number | null;
  catalogFailure?: CatalogFailure | null;
  /** Raw entries appended to the catalog as they are (e.g. paid models from the samples). */
  extraCatalog?: unknown[];
  /** Fields merged into GET /key's `data`. */
  keyInfo?: Record<string, unknown>;
  keyFailure?: KeyFailure | null;
  /**
   * GET /key answers 401 "User not found." once it has answered this many times (counted from
   * when this option was last set): a key revoked between two readings.
   */
  keyFailsAfter?: number | null;
  /** Epoch milliseconds; drives rate-limit windows, reset headers and `created`. */
  now?: () => number;
  userId?: string;
  /** Endpoints route: answer 404 for `author/slug:variant` paths (only base slugs resolve). */
  endpointsBaseSlugOnly?: boolean;
  /** Endpoints route: wait this long (ms) before every answer (a slow stats server). */
  endpointsDelayMs?: number;
  /** Randomness for router models' picks (default Math.random). */
  random?: () => number;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/api/v1/models?cursor=2`. */
  path: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed JSON when the body was JSON, else the raw text ("" for none). */
  body: unknown;
  /** `now()` when the request arrived. */
  at: number;
}

export interface FakeOpenRouter {
  /** Base URL including `/api/v1`, e.g. `http://127.0.0.1:PORT/api/v1`. */
  url: string;
  requests: RecordedRequest[];
  /** The chat requests only. */
  chatRequests(): RecordedRequest[];
  /** Chat attempts that reached the model (account 429s and auth failures excluded). */
  attempts(modelId: string): number;
  /** Replaces the catalog and behaviours; attempt counters of kept ids go on. */
  setModels(models: FakeModelSpec[]): void;
  /** Changes options on the fly (limits, failures, catalog shape…). */
  configure(opts: Partial<Omit<FakeOpenRouterOptions, "models" | "now">>): void;
  /** Forgets the requests counted against the per-minute and per-day limits. */
  resetLimits(): void;
  close(): Promise<void>;
}

const API = "/api/v1";
const PROCESSING = ": OPENROUTER PROCESSING\n\n";
const encoder = new TextEncoder();

/** Starts the fake on 127.0.0.1 with a free port. Async so that it may await setup later. */
export function startFakeOpenRouter(options: FakeOpenRouterOptions): Promise<FakeOpenRouter> {
  const opts: FakeOpenRouterOptions = { ...options };
  const now = options.now ?? (() => Date.now());
  const userId = options.userId ?? "user_2fAkEoPeNrOuTeRtEsTuSeR01";
  let models = new Map<string, FakeModelSpec>();
  const attemptCounts = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  /** Chat requests counted by the account limits: epoch ms, oldest first. */
  let minuteWindow: number[] = [];
  /** Chat requests counted by `accountWindow`: epoch ms, oldest first. */
  let accountWindow: number[] = [];
  /** GET /key answers since `keyFailsAfter` was set. */
  let keyReads = 0;
  const dayCounts = new Map<string, number>();
  let genCounter = 0;

  const closing = new AbortController();
  const setModels = (list: FakeModelSpec[]) => {
    models = new Map(list.map((m) => [m.id, m]));
  };
  setModels(options.models);

  // ---------------------------------------------------------------- helpers

  /** Resolves true after `ms`, or false as soon as `signal` aborts; leaves no timer behind. */
  function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
    return new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });
  }

  function errorResponse(
    status: number,
    message: string,
    metadata?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Response {
    const error: Record<string, unknown> = { message, code: status };
    if (metadata) error.metadata = metadata;
    return json(status, { error, user_id: userId }, headers);
  }

  function genId(): string {
    genCounter++;
    const suffix = genCounter.toString(36).padStart(20, "x").slice(-20);
    return `gen-${Math.floor(now() / 1000)}-${suffix}`;
  }

  // ---------------------------------------------------------------- catalog

  function catalogEntry(m: FakeModelSpec): Record<string, unknown> {
    const free = m.free ?? true;
    const input = m.input_modalities ?? ["text"];
    const output = m.output_modalities ?? ["text"];
    const slug = m.id.replace(/:free$/, "");
    const entry: Record<string, unknown> = {
      id: m.id,
      canonical_slug: slug,
      hugging_face_id: "",
      name: m.name ?? `Fake: ${slug}${free ? " (free)" : ""}`,
      created: m.created ?? 1767225600,
      description: m.description ?? `A fake model (${m.id}) served by the test OpenRouter.`,
      context_length: m.context_length ?? 131072,
      architecture: {
        modality: `${input.join("+")}->${output.join("+")}`,
        input_modalities: input,
        output_modalities: output,
        tokenizer: "Other",
        instruct_type: null,
      },
      pricing: free
        ? {
          prompt: "0",
          completion: "0",
          request: "0",
          image: "0",
          web_search: "0",
          internal_reasoning: "0",
        }
        : { prompt: "0.0000002", completion: "0.0000008" },
      top_provider: {
        context_length: m.context_length ?? 131072,
        max_completion_tokens: 16384,
        is_moderated: false,
      },
      per_request_limits: null,
      supported_parameters: m.supported_parameters ??
        ["max_tokens", "temperature", "top_p", "stop"],
      default_parameters: { temperature: null, top_p: null, frequency_penalty: null },
      expiration_date: m.expiration_date ?? null,
      links: { details: `${API}/models/${slug}/endpoints` },
    };
    if (m.reasoning) {
      entry.reasoning = {
        mandatory: m.reasoning.mandatory ?? false,
        default_enabled: true,
        supported_efforts: m.reasoning.supported_efforts ?? ["high", "medium", "low"],
        default_effort: "medium",
      };
    }
    return entry;
  }

  async function handleModels(url: URL): Promise<Response> {
    switch (opts.catalogFailure) {
      case "http_500":
        return errorResponse(500, "Internal Server Error");
      case "http_503":
        return new Response("<html><body>503 Service Temporarily Unavailable</body></html>", {
          status: 503,
          headers: { "content-type": "text/html" },
        });
      case "not_json":
        return new Response("<!DOCTYPE html><html>Just a moment...</html>", {
          status: 200,
          headers: { "content-type": "text/html" },
        });
      case "no_data":
        return json(200, { models: "none" });
      case "hang":
        await sleep(2 ** 31 - 1, closing.signal);
        return errorResponse(503, "server closing");
    }
    const all: unknown[] = [
      ...[...models.values()].map(catalogEntry),
      ...(opts.extraCatalog ?? []),
    ];
    if (opts.catalogShape !== "paginated") return json(200, { data: all });
    const size = opts.pageSize && opts.pageSize > 0 ? opts.pageSize : all.length || 1;
    const offset = Math.max(0, Number(url.searchParams.get("cursor") ?? "0") || 0);
    const end = offset + size;
    return json(200, {
      data: all.slice(offset, end),
      total_count: all.length,
      links: { next: end < all.length ? `${API}/models?cursor=${end}` : null },
    });
  }

  // ---------------------------------------------------------------- endpoints

  function endpointEntry(m: FakeModelSpec, e: FakeEndpoint, i: number): Record<string, unknown> {
    const free = e.free ?? m.free ?? true;
    const provider = e.provider_name ?? m.provider ?? "Chutes";
    const pct = { p50: 400 + i, p75: 600, p90: 900, p99: 2000 };
    return {
      name: `${provider} | ${m.id}`,
      model_id: m.id.replace(/:free$/, ""),
      model_name: m.name ?? m.id,
      context_length: m.context_length ?? 131072,
      pricing: free
        ? { prompt: "0", completion: "0" }
        : { prompt: "0.0000002", completion: "0.0000008" },
      provider_name: provider,
      tag: e.tag ?? provider.toLowerCase(),
      quantization: "fp8",
      max_completion_tokens: 16384,
      max_prompt_tokens: null,
      supported_parameters: m.supported_parameters ?? ["max_tokens", "temperature"],
      status: e.status ?? 0,
      uptime_last_5m: e.uptime_last_5m === undefined ? 100 : e.uptime_last_5m,
      uptime_last_30m: e.uptime_last_30m === undefined ? 99.5 : e.uptime_last_30m,
      uptime_last_1d: e.uptime_last_1d === undefined ? 98.7 : e.uptime_last_1d,
      supports_implicit_caching: false,
      latency_last_30m: e.latency_last_30m === undefined ? pct : e.latency_last_30m,
      throughput_last_30m: e.throughput_last_30m === undefined
        ? { p50: 45, p75: 38, p90: 28, p99: 15 }
        : e.throughput_last_30m,
    };
  }

  async function handleEndpoints(author: string, slug: string): Promise<Response> {
    const id = `${author}/${slug}`;
    const variant = slug.includes(":");
    let spec = variant && opts.endpointsBaseSlugOnly ? undefined : models.get(id);
    // The base slug answers for its variants too, paid endpoints included.
    const base = spec ? undefined : models.get(`${id}:free`);
    spec ??= base;
    if (!spec) return errorResponse(404, "Model not found");
    if (opts.endpointsDelayMs && !await sleep(opts.endpointsDelayMs, closing.signal)) {
      return errorResponse(503, "server closing");
    }
    switch (spec.endpoints) {
      case "http_404":
        return errorResponse(404, "Model not found");
      case "http_500":
        return errorResponse(500, "Internal Server Error");
      case "hang":
        await sleep(2 ** 31 - 1, closing.signal);
        return errorResponse(503, "server closing");
    }
    const list = (spec.endpoints ?? [{}]).map((e, i) => endpointEntry(spec, e, i));
    if (base) list.push(endpointEntry(spec, { provider_name: "PaidCloud", free: false }, 9));
    return json(200, {
      data: {
        id: spec.id.replace(/:free$/, ""),
        name: spec.name ?? spec.id,
        created: spec.created ?? 1767225600,
        description: spec.description ?? "",
        architecture: {
          tokenizer: "Other",
          instruct_type: null,
          modality: "text->text",
          input_modalities: spec.input_modalities ?? ["text"],
          output_modalities: spec.output_modalities ?? ["text"],
        },
        endpoints: list,
      },
    });
  }

  // ---------------------------------------------------------------- auth & key

  /** A 401 when an API key is configured and the request does not carry it. */
  function checkAuth(req: Request): Response | null {
    if (!opts.apiKey) return null;
    const auth = req.headers.get("authorization");
    if (!auth || !/^Bearer\s+\S/i.test(auth)) {
      return errorResponse(401, "No auth credentials found");
    }
    if (auth.replace(/^Bearer\s+/i, "") !== opts.apiKey) {
      return errorResponse(401, "User not found.");
    }
    return null;
  }

  function handleKey(req: Request): Response {
    const denied = checkAuth(req);
    if (denied) return denied;
    if (opts.keyFailsAfter != null && keyReads++ >= opts.keyFailsAfter) {
      return errorResponse(401, "User not found.");
    }
    switch (opts.keyFailure) {
      case "http_401":
        return errorResponse(401, "User not found.");
      case "http_500":
        return errorResponse(500, "Internal Server Error");
      case "not_json":
        return new Response("<html>oops</html>", {
          status: 200,
          headers: { "content-type": "text/html" },
        });
    }
    const key = opts.apiKey ??
      "sk-or-v1-fake-label-0000-0000-0000-abc";
    return json(200, {
      data: {
        // Real labels hold the start and end of the key; the client must drop it.
        label: `${key.slice(0, 12)}...${key.slice(-3)}`,
        limit: null,
        limit_reset: null,
        limit_remaining: null,
        include_byok_in_limit: false,
        usage: 0,
        usage_daily: 0,
        usage_weekly: 0,
        usage_monthly: 0,
        byok_usage: 0,
        byok_usage_daily: 0,
        byok_usage_weekly: 0,
        byok_usage_monthly: 0,
        is_free_tier: true,
        ...dailyRequests(),
        is_provisioning_key: false,
        ...(opts.keyInfo ?? {}),
      },
    });
  }

  // ---------------------------------------------------------------- account limits

  function utcDay(ms: number): string {
    return new Date(ms).toISOString().slice(0, 10);
  }

  function nextUtcMidnight(ms: number): number {
    const d = new Date(ms);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  }

  /** `free_model_daily_requests` of the key, as GET /key reports it (the UTC day so far). */
  function dailyRequests(): Record<string, unknown> {
    if (!(opts.reportDailyRequests ?? opts.dailyLimit != null)) return {};
    const paid = opts.keyInfo?.is_free_tier === false;
    const limit = opts.dailyLimit ?? (paid ? 1000 : 50);
    const used = dayCounts.get(utcDay(now())) ?? 0;
    return {
      free_model_daily_requests: { limit, remaining: Math.max(0, limit - used), used },
    };
  }

  function perMinute429(limit: number, resetAt: number, t: number): Response {
    const retryAfter = String(Math.max(1, Math.ceil((resetAt - t) / 1000)));
    const headers = {
      "X-RateLimit-Limit": String(limit),
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Reset": String(resetAt),
    };
    return errorResponse(
      429,
      "Rate limit exceeded: free-models-per-min. ",
      { headers, provider_name: null, ...limitSource("free-models-per-min") },
      { ...headers, "Retry-After": retryAfter },
    );
  }

  function perDay429(limit: number, t: number): Response {
    const headers = {
      "X-RateLimit-Limit": String(limit),
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Reset": String(nextUtcMidnight(t)),
    };
    return errorResponse(
      429,
      "Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day",
      { headers, provider_name: null, ...limitSource("free-models-per-day") },
      headers,
    );
  }

  /** A 429 when an account limit is reached; else counts the request (whatever it turns into). */
  function limitSource(source: string): Record<string, string> {
    return opts.limitSource === false ? {} : { limit_source: source };
  }

  /** The model's shared free capacity is spent (every user's requests to this :free model). */
  function sharedCapacity429(model: string, t: number): Response {
    const resetAt = (Math.floor(t / 60_000) + 1) * 60_000;
    const headers = {
      "X-RateLimit-Limit": "15",
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Reset": String(resetAt),
    };
    return errorResponse(
      429,
      `High demand for ${model} on OpenRouter – limited to 15 requests per minute. Please retry shortly.`,
      { headers, provider_name: null, limit_source: "openrouter_shared_capacity" },
      headers,
    );
  }

  function takeQuota(t: number): Response | null {
    minuteWindow = minuteWindow.filter((at) => at > t - 60_000);
    const win = opts.accountWindow;
    if (win) accountWindow = accountWindow.filter((at) => at > t - win.windowMs);
    const day = utcDay(t);
    const usedToday = dayCounts.get(day) ?? 0;
    if (opts.dailyLimit != null && usedToday >= opts.dailyLimit) {
      return perDay429(opts.dailyLimit, t);
    }
    if (opts.rpmLimit != null && minuteWindow.length >= opts.rpmLimit) {
      return perMinute429(opts.rpmLimit, minuteWindow[0] + 60_000, t);
    }
    if (win && accountWindow.length >= win.limit) {
      return perMinute429(
        win.limit,
        accountWindow[accountWindow.length - win.limit] + win.windowMs,
        t,
      );
    }
    minuteWindow.push(t);
    if (win) accountWindow.push(t);
    dayCounts.set(day, usedToday + 1);
    return null;
  }

  // ---------------------------------------------------------------- chat

  interface ChatCtx {
    model: string;
    spec: FakeModelSpec;
    provider: string;
    prompt: string;
    maxTokens: number;
    stream: boolean;
    id: string;
    created: number;
    /** The first tool's name, when the model calls tools and the request offers some. */
    tool: string | null;
  }

  function answerFor(spec: FakeModelSpec, prompt: string): string {
    if (spec.answer !== undefined) return spec.answer;
    const m = /exact text:\s*(.+?)\s*$/is.exec(prompt);
    return m ? m[1] : "OK";
  }

  function chunk(
    ctx: ChatCtx,
    delta: Record<string, unknown>,
    finish: string | null,
    extra = {},
  ): string {
    return `data: ${
      JSON.stringify({
        id: ctx.id,
        provider: ctx.provider,
        model: ctx.model,
        object: "chat.completion.chunk",
        created: ctx.created,
        choices: [{
          index: 0,
          delta,
          finish_reason: finish,
          native_finish_reason: finish,
          logprobs: null,
        }],
        ...extra,
      })
    }\n\n`;
  }

  function usage(ctx: ChatCtx, completion: number, reasoning: number): Record<string, unknown> {
    const prompt = Math.max(1, Math.ceil(ctx.prompt.length / 4));
    return {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      cost: 0,
      is_byok: false,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: reasoning, image_tokens: 0 },
    };
  }

  const tokens = (s: string) => Math.ceil(s.length / 4);
  const pieces = (s: string) => s.match(/\S+\s*|\s+/g) ?? [];

  /** The SSE events of a complete answer, split so each element is one `write`. */
  function answerEvents(
    ctx: ChatCtx,
    content: string,
    reasoning: string,
    finish = "stop",
  ): string[] {
    const out: string[] = [chunk(ctx, { role: "assistant", content: "" }, null)];
    for (const r of pieces(reasoning)) {
      out.push(
        chunk(ctx, {
          role: "assistant",
          content: "",
          reasoning: r,
          reasoning_details: [{ type: "reasoning.text", text: r, format: "unknown", index: 0 }],
        }, null),
      );
    }
    for (const p of pieces(content)) out.push(chunk(ctx, { role: "assistant", content: p }, null));
    out.push(chunk(ctx, { role: "assistant", content: "" }, finish));
    const completion = finish === "length" ? ctx.maxTokens : tokens(content) + tokens(reasoning);
    const reasoningTokens = finish === "length" ? ctx.maxTokens : tokens(reasoning);
    out.push(
      chunk(ctx, { role: "assistant", content: "" }, null, {
        usage: usage(ctx, completion, reasoningTokens),
      }),
    );
    out.push("data: [DONE]\n\n");
    return out;
  }

  function sse(
    body: string | ReadableStream<Uint8Array>,
    headers: Record<string, string> = {},
  ): Response {
    return new Response(body, {
      status: 200,
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache", ...headers },
    });
  }

  function completionJson(
    ctx: ChatCtx,
    content: string,
    reasoning: string,
    finish = "stop",
  ): Record<string, unknown> {
    return {
      id: ctx.id,
      provider: ctx.provider,
      model: ctx.model,
      object: "chat.completion",
      created: ctx.created,
      choices: [{
        logprobs: null,
        finish_reason: finish,
        native_finish_reason: finish,
        index: 0,
        message: { role: "assistant", content, refusal: null, reasoning: reasoning || null },
      }],
      usage: usage(ctx, tokens(content) + tokens(reasoning), tokens(reasoning)),
    };
  }

  /** An answer, streamed or not as the request asked. */
  function answer(ctx: ChatCtx, content: string, reasoning: string, finish = "stop"): Response {
    if (!ctx.stream) return json(200, completionJson(ctx, content, reasoning, finish));
    return sse(PROCESSING + PROCESSING + answerEvents(ctx, content, reasoning, finish).join(""));
  }

  /** A stream that writes `events` with `delayMs` (and a keep-alive comment) before each. */
  function slowStream(events: string[], delayMs: number): ReadableStream<Uint8Array> {
    const stop = new AbortController();
    const onClose = () => stop.abort();
    closing.signal.addEventListener("abort", onClose, { once: true });
    return new ReadableStream<Uint8Array>({
      async start(controller) {
        try {
          controller.enqueue(encoder.encode(PROCESSING));
          for (const [i, ev] of events.entries()) {
            // The role chunk and the tail (finish, usage, [DONE]) come at once; content waits.
            if (i > 0 && i < events.length - 3) {
              controller.enqueue(encoder.encode(PROCESSING));
              if (!await sleep(delayMs, stop.signal)) break;
            }
            controller.enqueue(encoder.encode(ev));
          }
          controller.close();
        } catch {
          // The client went away: the stream is already cancelled.
        } finally {
          closing.signal.removeEventListener("abort", onClose);
        }
      },
      cancel() {
        stop.abort();
      },
    });
  }

  /** The "stall" behaviour: a first token, then keep-alive comments only, until cancelled. */
  function stalledStream(ctx: ChatCtx, keepAliveMs: number): ReadableStream<Uint8Array> {
    const stop = new AbortController();
    const onClose = () => stop.abort();
    closing.signal.addEventListener("abort", onClose, { once: true });
    return new ReadableStream<Uint8Array>({
      async start(controller) {
        try {
          controller.enqueue(encoder.encode(
            PROCESSING + chunk(ctx, { role: "assistant", content: "" }, null) +
              chunk(ctx, { role: "assistant", content: "O" }, null),
          ));
          while (await sleep(keepAliveMs, stop.signal)) {
            controller.enqueue(encoder.encode(PROCESSING));
          }
          controller.close();
        } catch {
          // The client went away: the stream is already cancelled.
        } finally {
          closing.signal.removeEventListener("abort", onClose);
        }
      },
      cancel() {
        stop.abort();
      },
    });
  }

  function firstToolName(tools: unknown): string | null {
    if (!Array.isArray(tools) || tools.length === 0) return null;
    const fn = (tools[0] as { function?: { name?: unknown } })?.function;
    return typeof fn?.name === "string" ? fn.name : null;
  }

  /** An ok answer that calls `ctx.tool` with `{}` (streamed in two argument pieces). */
  function toolCallAnswer(ctx: ChatCtx): Response {
    const id = `call_${genCounter}`;
    const call = { index: 0, id, type: "function", function: { name: ctx.tool, arguments: "" } };
    if (!ctx.stream) {
      const body = completionJson(ctx, "", "", "tool_calls");
      const choice = (body.choices as Record<string, unknown>[])[0];
      (choice.message as Record<string, unknown>).tool_calls = [
        { id, type: "function", function: { name: ctx.tool, arguments: "{}" } },
      ];
      return json(200, body);
    }
    const events = [
      chunk(ctx, { role: "assistant", content: null, tool_calls: [call] }, null),
      chunk(ctx, { tool_calls: [{ index: 0, function: { arguments: "{" } }] }, null),
      chunk(ctx, { tool_calls: [{ index: 0, function: { arguments: "}" } }] }, null),
      chunk(ctx, { role: "assistant", content: "" }, "tool_calls", { usage: usage(ctx, 5, 0) }),
      "data: [DONE]\n\n",
    ];
    return sse(PROCESSING + events.join(""));
  }

  async function behave(behavior: Behavior, ctx: ChatCtx): Promise<Response> {
    const { model, provider, spec } = ctx;
    const reasoning = spec.reasoningText ?? "";
    const t = now();
    switch (behavior) {
      case "ok":
        if (ctx.tool !== null) return toolCallAnswer(ctx);
        return answer(ctx, answerFor(spec, ctx.prompt), reasoning);
      case "wrong_answer":
        return answer(ctx, spec.wrongAnswer ?? "I can't help with that.", reasoning);
      case "empty":
        return answer(ctx, "", "");
      case "reasoning_only":
        return answer(
          ctx,
          "",
          reasoning || "Let me think about what the user asks. ".repeat(8),
          "length",
        );
      case "slow": {
        if (!ctx.stream) {
          await sleep(spec.chunkDelayMs ?? 300, closing.signal);
          return answer(ctx, answerFor(spec, ctx.prompt), reasoning);
        }
        const events = answerEvents(ctx, answerFor(spec, ctx.prompt), reasoning);
        return sse(slowStream(events, spec.chunkDelayMs ?? 300));
      }
      case "upstream_429":
        return errorResponse(429, "Provider returned error", {
          raw:
            `${model} is temporarily rate-limited upstream. Please retry shortly, or add your own key to accumulate your rate limits: https://openrouter.ai/settings/integrations`,
          provider_name: provider,
        });
      case "account_429_minute":
        return perMinute429(opts.rpmLimit ?? 20, (Math.floor(t / 60_000) + 1) * 60_000, t);
      case "account_429_day":
        return perDay429(opts.dailyLimit ?? 50, t);
      case "shared_capacity_429":
        return sharedCapacity429(model, t);
      case "http_500":
        return errorResponse(500, "Internal Server Error");
      case "http_502":
        return errorResponse(502, "Provider returned error", {
          raw:
            "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
          provider_name: provider,
        });
      case "http_503":
        return errorResponse(503, "No allowed providers are available for the selected model.", {
          provider_name: null,
        });
      case "http_404":
        return errorResponse(404, `No endpoints found for ${model}.`);
      case "http_400":
        return errorResponse(400, "Provider returned error", {
          raw: JSON.stringify({
            error: {
              message: "Invalid request: unsupported parameter",
              type: "invalid_request_error",
            },
          }),
          provider_name: provider,
        });
      case "http_403_moderation":
        return errorResponse(
          403,
          `${model} requires moderation on ${provider}. Your input was flagged for "harassment". No credits were charged.`,
          {
            reasons: ["harassment"],
            flagged_input: ctx.prompt.slice(0, 100),
            provider_name: provider,
            model_slug: model,
          },
        );
      case "http_413":
        return errorResponse(413, "Request Entity Too Large");
      case "http_408":
        return errorResponse(408, "Request timed out. Please try again.");
      case "http_401":
        return errorResponse(401, "User not found.");
      case "http_402":
        return errorResponse(
          402,
          "Insufficient credits. Add more using https://openrouter.ai/settings/credits",
        );
      case "error_chunk": {
        const events = [
          chunk(ctx, { role: "assistant", content: "" }, null),
          chunk(ctx, { role: "assistant", content: "O" }, null),
          `data: ${
            JSON.stringify({
              id: ctx.id,
              object: "chat.completion.chunk",
              created: ctx.created,
              model,
              provider,
              error: { code: "server_error", message: "Provider disconnected unexpectedly" },
              choices: [{
                index: 0,
                delta: { content: "" },
                finish_reason: "error",
                native_finish_reason: "error",
              }],
            })
          }\n\n`,
        ];
        return sse(PROCESSING + events.join(""));
      }
      case "choice_error_200":
        return json(200, {
          id: ctx.id,
          provider,
          model,
          object: "chat.completion",
          created: ctx.created,
          choices: [{
            logprobs: null,
            finish_reason: "error",
            native_finish_reason: "error",
            index: 0,
            message: { role: "assistant", content: "", refusal: null, reasoning: null },
            error: {
              code: 502,
              message: "Upstream error from provider",
              metadata: { raw: "upstream returned no choices", provider_name: provider },
            },
          }],
          usage: usage(ctx, 0, 0),
        });
      case "nonstream_json":
        return json(200, completionJson(ctx, answerFor(spec, ctx.prompt), reasoning));
      case "leading_whitespace_json":
        return new Response(
          "\n         \n\n         \n\n         \n" +
            JSON.stringify(completionJson(ctx, answerFor(spec, ctx.prompt), reasoning)),
          { status: 200, headers: { "content-type": "application/json" } },
        );
      case "malformed_json": {
        const whole = JSON.stringify(completionJson(ctx, answerFor(spec, ctx.prompt), reasoning));
        return new Response(whole.slice(0, Math.floor(whole.length / 2)), {
          status: 200,
          headers: { "content-type": "application/json" },
        });
      }
      case "garbage_sse":
        return sse(
          PROCESSING + "data: <!DOCTYPE html><html><body>502 Bad Gateway</body></html>\n\n",
        );
      case "truncated_stream":
        return sse(
          PROCESSING + chunk(ctx, { role: "assistant", content: "" }, null) +
            chunk(ctx, { role: "assistant", content: "O" }, null),
        );
      case "reset_mid_stream": {
        // Declaring more bytes than are sent makes the server drop the connection when the
        // stream ends: the client sees a reset in the middle of the body.
        const sent = encoder.encode(
          PROCESSING + chunk(ctx, { role: "assistant", content: "" }, null) +
            chunk(ctx, { role: "assistant", content: "O" }, null),
        );
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(sent);
            controller.close();
          },
        });
        return sse(body, { "content-length": String(sent.length + 4096) });
      }
      case "stall":
        return sse(stalledStream(ctx, spec.chunkDelayMs ?? 300));
      case "hang":
        await sleep(2 ** 31 - 1, closing.signal);
        return errorResponse(503, "server closing");
    }
  }

  async function handleChat(req: Request, body: unknown): Promise<Response> {
    const denied = checkAuth(req);
    if (denied) return denied;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return errorResponse(400, "Invalid JSON body");
    }
    const b = body as Record<string, unknown>;
    if (typeof b.model !== "string" || b.model === "") {
      return errorResponse(400, "No model provided");
    }
    if (!Array.isArray(b.messages) || b.messages.length === 0) {
      return errorResponse(400, 'Input required: specify "prompt" or "messages"');
    }
    let spec = models.get(b.model);
    if (!spec) return errorResponse(400, `${b.model} is not a valid model ID`);
    if (spec.router) {
      const pool = [...models.values()].filter((m) => !m.router && (m.free ?? true));
      if (pool.length === 0) return errorResponse(404, `No endpoints found for ${b.model}.`);
      spec = pool[Math.floor((opts.random ?? Math.random)() * pool.length) % pool.length];
    }

    const t = now();
    const limited = takeQuota(t);
    if (limited) return limited;

    const n = attemptCounts.get(spec.id) ?? 0;
    attemptCounts.set(spec.id, n + 1);
    const script = spec.behaviors && spec.behaviors.length > 0 ? spec.behaviors : ["ok" as const];
    const behavior = script[Math.min(n, script.length - 1)];

    const last = b.messages[b.messages.length - 1] as unknown;
    const content = typeof last === "object" && last !== null
      ? (last as { content?: unknown }).content
      : "";
    const ctx: ChatCtx = {
      model: spec.id,
      spec,
      provider: spec.provider ?? "Chutes",
      prompt: typeof content === "string" ? content : JSON.stringify(content ?? ""),
      maxTokens: typeof b.max_tokens === "number" && b.max_tokens > 0
        ? Math.floor(b.max_tokens)
        : 64,
      stream: b.stream === true,
      id: genId(),
      created: Math.floor(t / 1000),
      tool: spec.callsTools ? firstToolName(b.tools) : null,
    };
    if (spec.delayMs && spec.delayMs > 0 && behavior !== "hang") {
      if (!await sleep(spec.delayMs, closing.signal)) return errorResponse(503, "server closing");
    }
    if (behavior === "ok" && spec.capabilities) {
      const answered = capabilityAnswer(ctx, spec.capabilities, b);
      if (answered) return answered;
    }
    return await behave(behavior, ctx);
  }

  // ---------------------------------------------------------------- capability checks

  /** A capability check's answer as FakeCapabilities says; null when it is not one. */
  function capabilityAnswer(
    ctx: ChatCtx,
    caps: FakeCapabilities,
    b: Record<string, unknown>,
  ): Response | null {
    const tool = firstToolName(b.tools);
    if (tool !== null && caps.tools) {
      const city = /weather in ([A-Z][\p{L}-]+)/u.exec(ctx.prompt)?.[1] ?? "Paris";
      switch (caps.tools) {
        case "ok":
          return toolCall(ctx, tool, JSON.stringify({ city }));
        case "prose":
          return answer(ctx, `It is sunny and 21 °C in ${city} today.`, "");
        case "broken_arguments":
          return toolCall(ctx, tool, `{"city": "${city}`);
        case "other_function":
          return toolCall(ctx, "search_web", JSON.stringify({ query: `weather ${city}` }));
        case "no_city":
          return toolCall(ctx, tool, JSON.stringify({ location: "somewhere" }));
      }
    }
    const format = b.response_format as { type?: unknown } | undefined;
    if (format?.type === "json_schema" && caps.json) {
      switch (caps.json) {
        case "ok":
          return answer(ctx, JSON.stringify({ country: "France", capital: "Paris" }), "");
        case "prose":
          return answer(ctx, "The capital of France is Paris.", "");
        case "schema_mismatch":
          return answer(ctx, JSON.stringify({ country: "France", capital: 1 }), "");
      }
    }
    if (hasImage(b.messages) && caps.vision) {
      return answer(ctx, caps.vision === "names_colour" ? "Red." : "Blue.", "");
    }
    return null;
  }

  function hasImage(messages: unknown): boolean {
    if (!Array.isArray(messages)) return false;
    return messages.some((m) =>
      Array.isArray((m as { content?: unknown })?.content) &&
      (m as { content: unknown[] }).content.some((p) =>
        (p as { type?: unknown })?.type === "image_url" &&
        String((p as { image_url?: { url?: unknown } }).image_url?.url ?? "").startsWith(
          "data:image/png;base64,",
        )
      )
    );
  }

  /** A call of `name` with the raw `args` text, streamed in three fragments or whole. */
  function toolCall(ctx: ChatCtx, name: string, args: string): Response {
    const id = `call_${genCounter}`;
    if (!ctx.stream) {
      const body = completionJson(ctx, "", "", "tool_calls");
      const choice = (body.choices as Record<string, unknown>[])[0];
      (choice.message as Record<string, unknown>).content = null;
      (choice.message as Record<string, unknown>).tool_calls = [
        { id, type: "function", function: { name, arguments: args } },
      ];
      return json(200, body);
    }
    const third = Math.ceil(args.length / 3);
    const events = [
      chunk(ctx, {
        role: "assistant",
        content: null,
        tool_calls: [{ index: 0, id, type: "function", function: { name, arguments: "" } }],
      }, null),
      ...[0, 1, 2].map((i) =>
        chunk(ctx, {
          tool_calls: [{
            index: 0,
            function: { arguments: args.slice(i * third, (i + 1) * third) },
          }],
        }, null)
      ),
      chunk(ctx, { role: "assistant", content: "" }, "tool_calls", { usage: usage(ctx, 9, 0) }),
      "data: [DONE]\n\n",
    ];
    return sse(PROCESSING + events.join(""));
  }

  // ---------------------------------------------------------------- routing

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const text = req.method === "GET" || req.method === "HEAD" ? "" : await req.text();
    let body: unknown = text;
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
    }
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => headers[k] = v);
    requests.push({
      method: req.method,
      path: url.pathname + url.search,
      headers,
      body,
      at: now(),
    });

    const path = url.pathname.replace(/\/+$/, "");
    if (req.method === "GET" && path === `${API}/models`) return await handleModels(url);
    const endpoints = /^\/api\/v1\/models\/([^/]+)\/([^/]+)\/endpoints$/.exec(path);
    if (req.method === "GET" && endpoints) {
      return await handleEndpoints(
        decodeURIComponent(endpoints[1]),
        decodeURIComponent(endpoints[2]),
      );
    }
    if (req.method === "GET" && (path === `${API}/key` || path === `${API}/auth/key`)) {
      return handleKey(req);
    }
    if (req.method === "POST" && path === `${API}/chat/completions`) {
      if (text !== "" && typeof body === "string") return errorResponse(400, "Invalid JSON body");
      return await handleChat(req, body);
    }
    return errorResponse(404, "Not Found");
  }

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      try {
        return await handle(req);
      } catch (err) {
        return errorResponse(
          500,
          `fake server error: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    },
  );

  let closed: Promise<void> | null = null;
  return Promise.resolve({
    url: `http://127.0.0.1:${server.addr.port}${API}`,
    requests,
    chatRequests: () =>
      requests.filter((r) => r.method === "POST" && r.path.startsWith(`${API}/chat/completions`)),
    attempts: (id) => attemptCounts.get(id) ?? 0,
    setModels,
    configure(patch) {
      if ("keyFailsAfter" in patch) keyReads = 0;
      Object.assign(opts, patch);
    },
    resetLimits() {
      minuteWindow = [];
      accountWindow = [];
      dayCounts.clear();
    },
    close() {
      closed ??= (async () => {
        closing.abort();
        await server.shutdown();
      })();
      return closed;
    },
  });
}
