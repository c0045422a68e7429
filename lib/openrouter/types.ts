/** The subset of an OpenRouter catalog entry that Scouter keeps, normalised. */
export interface CatalogModel {
  id: string;
  name: string;
  description: string | null;
  context_length: number | null;
  input_modalities: string[];
  output_modalities: string[];
  supported_parameters: string[];
  /** ISO date (YYYY-MM-DD) after which the free variant ends, when announced. */
  expiration_date: string | null;
  /** Epoch seconds, as OpenRouter sends it. */
  created: number | null;
  /** A router (e.g. `openrouter/free`) picks another model per request. */
  is_router: boolean;
  reasoning: ReasoningInfo | null;
  /**
   * The prompt and completion prices as OpenRouter sent them (USD per token, as strings;
   * `"-1"` on routers whose price varies). Optional so hand-built models stay valid;
   * `isFreeModel` reads it.
   */
  pricing?: ModelPricing | null;
}

export interface ModelPricing {
  prompt: string | null;
  completion: string | null;
}

export interface ReasoningInfo {
  mandatory: boolean;
  supported_efforts: string[];
}

/** GET /key, normalised. Limits are in credits (USD); null means unlimited. */
export interface KeyInfo {
  is_free_tier: boolean | null;
  limit: number | null;
  limit_remaining: number | null;
  usage: number | null;
  usage_daily: number | null;
  /** The older `rate_limit` object (`{requests: 50, interval: "10s"}`), when sent. */
  rate_limit?: { requests: number; interval: string } | null;
  /**
   * Free-model (`:free`) requests of the current UTC day, as OpenRouter counts them (failed ones
   * too); resets at UTC midnight. The limit depends on the credits ever bought, not on
   * `is_free_tier`. Null or unset when the API does not report it.
   */
  free_model_daily_requests?: FreeModelDailyRequests | null;
}

export interface FreeModelDailyRequests {
  limit: number;
  remaining: number;
  used: number;
}

/** X-RateLimit-* as a response (headers, or an error's `metadata.headers`) carried them. */
export interface RateLimitHeaders {
  limit: number | null;
  remaining: number | null;
  /** Epoch milliseconds when the window resets. */
  resetAt: number | null;
}

/** OpenRouter's error object: `{"error": {"message", "code", "metadata"}}`. */
export interface OpenRouterError {
  message: string;
  code: number | string | null;
  metadata: {
    /** Upstream provider's own error text: set on provider-side errors. */
    raw?: unknown;
    provider_name?: string | null;
    /** Account rate limits carry X-RateLimit-* here, as strings. */
    headers?: Record<string, string>;
    reasons?: string[];
    flagged_input?: string;
    /**
     * Which limit refused a 429, when OpenRouter says: `free-models-per-min`,
     * `free-models-per-day`, `openrouter_free_tier_*` (the account's), or
     * `openrouter_shared_capacity` (the model's shared free capacity).
     */
    limit_source?: string | null;
    [key: string]: unknown;
  } | null;
}

/** A chat request that produced no usable HTTP exchange, or one we could not read. */
export interface ChatFailure {
  kind: "timeout" | "network" | "malformed";
  message: string;
}

/**
 * Everything one POST /chat/completions attempt told us, before any judgement.
 * The classifier (lib/scan/classify.ts) turns it into a check category.
 */
export interface ChatReply {
  /** null when no response head arrived (refused, reset, timeout before headers). */
  http_status: number | null;
  /** Lower-cased response headers that matter: x-ratelimit-*, retry-after. */
  headers: Record<string, string>;
  /** The error object from a non-2xx body, a mid-stream chunk, or `choices[0].error`. */
  error: OpenRouterError | null;
  error_in: "body" | "stream" | "choice" | null;
  /** Concatenated content (deltas when streamed, `message.content` otherwise). */
  text: string;
  /** Characters of reasoning received; content-free reasoning answers are `empty_response`. */
  reasoning_chars: number;
  finish_reason: string | null;
  provider: string | null;
  completion_tokens: number | null;
  reasoning_tokens: number | null;
  /** From request start to the first non-empty content delta. */
  ttft_ms: number | null;
  /** From request start to the end of the body, or to the failure. */
  latency_ms: number;
  streamed: boolean;
  /** A failure that ended the exchange: timeout, network error, unparseable body/stream. */
  failure: ChatFailure | null;
  /**
   * Tool calls of the answer (streamed `delta.tool_calls` fragments joined by index, or
   * `message.tool_calls`); unset when the answer had none.
   */
  tool_calls?: ChatToolCall[];
}

/** One function call the model made; `arguments` is the raw text (untrusted, maybe not JSON). */
export interface ChatToolCall {
  id: string | null;
  name: string;
  arguments: string;
}

/** A part of a multimodal user message (OpenAI's shape, which OpenRouter accepts). */
export type ChatContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string } };

export interface ChatRequest {
  model: string;
  prompt: string;
  max_tokens: number;
  reasoning?: { effort?: string; enabled?: boolean; exclude?: boolean };
  temperature?: number;
  /** The user message's content as parts (an image beside the text); unset: `prompt`. */
  content?: ChatContentPart[];
  /** Function tools offered (OpenAI's `tools` array); capability checks only. */
  tools?: Record<string, unknown>[];
  tool_choice?: string | Record<string, unknown>;
  /** `response_format`, e.g. a strict `json_schema`; capability checks only. */
  response_format?: Record<string, unknown>;
  /** false asks for a plain JSON answer; default true (a stream). */
  stream?: boolean;
}
