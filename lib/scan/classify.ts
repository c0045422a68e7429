import type { ChatReply, OpenRouterError } from "../openrouter/types.ts";
import { header, readRateLimitHeaders } from "../openrouter/rate_limit_headers.ts";
import { answerMatches } from "./answer.ts";
import type { CheckStatus, Fault } from "../domain/check.ts";

/**
 * What one chat attempt means, and who is to blame. Decided here and nowhere else.
 * - `check`: a verdict about the model (a CONTRACT category), maybe worth a retry, with the
 *   party at fault (null when ok);
 * - `account_limit`: our account hit a free-model limit; the model is not to blame. `limit` and
 *   `windowMs` are what the response taught about the per-minute limit, when it said;
 * - `key_rejected`: 401/402, the key may be broken; the scan re-checks GET /key before stopping
 *   (see {@link afterKeyRecheck}).
 */
export type Verdict =
  | {
    kind: "check";
    status: CheckStatus;
    retryable: boolean;
    error: string | null;
    fault: Fault | null;
  }
  | {
    kind: "account_limit";
    scope: "minute" | "day";
    resetAt: number | null;
    /** X-RateLimit-Limit, when sent: the account's requests per window. */
    limit: number | null;
    error: string;
  }
  | { kind: "key_rejected"; reason: "auth" | "payment"; error: string };

const MAX_ERROR_CHARS = 300;

export function classify(reply: ChatReply, expected: string | null, now: number): Verdict {
  const status = reply.http_status;

  if (reply.failure?.kind === "timeout") {
    return fail("timeout", true, reply.failure.message, "model");
  }
  if (reply.failure?.kind === "network") {
    // Nothing answered at all: OpenRouter (or the way to it) is down, not the model.
    return fail("network_error", true, reply.failure.message, "openrouter");
  }

  if (status !== null && (status < 200 || status >= 300)) {
    return classifyHttpError(status, reply, now);
  }

  if (reply.error) {
    // A 2xx that carries an error: in the stream or in choices[0].error.
    const upstream429 = Number(reply.error.code) === 429;
    return fail(
      upstream429 ? "rate_limited" : "unavailable",
      true,
      `${reply.error_in === "stream" ? "error mid-stream" : "error in a 200 reply"}: ${
        describe(reply.error)
      }`,
      "upstream",
    );
  }
  if (reply.failure?.kind === "malformed") {
    return fail("invalid_response", false, reply.failure.message, "model");
  }
  if (reply.text.trim() === "") {
    const why = reply.reasoning_chars > 0
      ? `reasoning only, no answer (finish_reason ${reply.finish_reason ?? "none"})`
      : `no text (finish_reason ${reply.finish_reason ?? "none"})`;
    return fail("empty_response", false, why, "model");
  }
  if (!answerMatches(reply.text, expected)) {
    return fail("wrong_answer", false, `expected ${JSON.stringify(expected)}`, "model");
  }
  return { kind: "check", status: "ok", retryable: false, error: null, fault: null };
}

/**
 * A 401 is only the key's fault when GET /key refuses it too: OpenRouter answers "User not
 * found." to chat requests during its own outages while the key is fine. `keyAccepted` is what
 * the re-check said.
 */
export function afterKeyRecheck(
  verdict: Extract<Verdict, { kind: "key_rejected" }>,
  keyAccepted: boolean,
): Verdict {
  if (!keyAccepted || verdict.reason !== "auth") return verdict;
  return fail(
    "unavailable",
    true,
    `${verdict.error} — while GET /key accepts the key: an OpenRouter fault`,
    "openrouter",
  );
}

function classifyHttpError(status: number, reply: ChatReply, now: number): Verdict {
  const error = reply.error;
  const detail = error ? describe(error) : `HTTP ${status}`;
  const blame: Fault = hasProvider(error) ? "upstream" : "model";
  if (status === 429) {
    const source = limitSource(error);
    if (source === "shared_capacity") {
      // The model's shared free capacity (every user's :free requests together): retrying
      // within seconds only spends the account's quota on the same refusal.
      return fail("rate_limited", false, detail, "shared_capacity");
    }
    const account = accountLimit(reply, source, now);
    if (account) return account;
    return fail("rate_limited", true, detail, "upstream");
  }
  if (status === 401) return { kind: "key_rejected", reason: "auth", error: detail };
  if (status === 402) return { kind: "key_rejected", reason: "payment", error: detail };
  if (status === 408) return fail("timeout", true, detail, blame);
  if (status === 404) return fail("not_found", false, detail, "model");
  // A bare 500 with no provider named is OpenRouter's own server error.
  if (status === 500 && blame === "model") return fail("unavailable", true, detail, "openrouter");
  if (status >= 500) return fail("unavailable", true, detail, blame);
  if (status >= 400) return fail("rejected", false, detail, "model");
  return fail("invalid_response", false, `unexpected HTTP ${status}`, "model");
}

type LimitSource = "minute" | "day" | "shared_capacity" | null;

/**
 * Which limit a 429 names: `metadata.limit_source` where OpenRouter sends it, else the message
 * ("free-models-per-min", "free-models-per-day", "High demand for X:free on OpenRouter").
 */
function limitSource(error: OpenRouterError | null): LimitSource {
  const source =
    (typeof error?.metadata?.limit_source === "string" ? error.metadata.limit_source : "")
      .toLowerCase();
  if (source.includes("shared_capacity")) return "shared_capacity";
  if (/per-day|per_day|daily|_day\b/.test(source)) return "day";
  if (/per-min|per_min|minute|_min\b/.test(source)) return "minute";
  const message = error?.message ?? "";
  if (/free-models-per-day|per-day/i.test(message)) return "day";
  if (/free-models-per-min|per-min/i.test(message)) return "minute";
  if (/high demand for .* on openrouter/i.test(message)) return "shared_capacity";
  return null;
}

function hasProvider(error: OpenRouterError | null): boolean {
  return error?.metadata?.raw !== undefined && error.metadata.raw !== null ||
    (typeof error?.metadata?.provider_name === "string" && error.metadata.provider_name !== "");
}

/**
 * An account 429 names the free-model limit (limit_source or message) and carries
 * X-RateLimit-* headers; an upstream 429 names the provider (`metadata.provider_name`,
 * `metadata.raw`) and is the model's problem.
 */
function accountLimit(reply: ChatReply, source: LimitSource, now: number): Verdict | null {
  const message = reply.error?.message ?? "";
  let scope: "minute" | "day" | null = source === "day" || source === "minute" ? source : null;
  if (scope === null && !hasProvider(reply.error) && header(reply, "x-ratelimit-limit") !== null) {
    scope = "minute";
  }
  if (scope === null) return null;
  const headers = readRateLimitHeaders(reply);
  return {
    kind: "account_limit",
    scope,
    resetAt: headers?.resetAt ?? retryAfter(reply, now),
    limit: headers?.limit ?? null,
    error: message,
  };
}

/** Retry-After (seconds) as an epoch time; null when absent. */
function retryAfter(reply: ChatReply, now: number): number | null {
  const seconds = Number(reply.headers["retry-after"]);
  return reply.headers["retry-after"] !== undefined && Number.isFinite(seconds) && seconds >= 0
    ? now + seconds * 1000
    : null;
}

function describe(error: OpenRouterError): string {
  const raw = typeof error.metadata?.raw === "string" ? error.metadata.raw : null;
  const provider = error.metadata?.provider_name;
  const text = [
    error.code !== null ? `${error.code}` : null,
    error.message,
    provider ? `(${provider})` : null,
    raw && raw !== error.message ? `— ${raw}` : null,
  ].filter(Boolean).join(" ");
  return text.slice(0, MAX_ERROR_CHARS);
}

function fail(status: CheckStatus, retryable: boolean, error: string, fault: Fault): Verdict {
  return { kind: "check", status, retryable, error: error.slice(0, MAX_ERROR_CHARS), fault };
}
