import type { ChatReply, OpenRouterError } from "../openrouter/types.ts";
import { answerMatches } from "./answer.ts";
import type { CheckStatus } from "../domain/check.ts";

/**
 * What one chat attempt means. Decided here and nowhere else.
 * - `check`: a verdict about the model (a CONTRACT category), maybe worth a retry;
 * - `account_limit`: our account hit a free-model limit; the model is not to blame;
 * - `key_rejected`: 401/402, the key is broken; the scan stops.
 */
export type Verdict =
  | { kind: "check"; status: CheckStatus; retryable: boolean; error: string | null }
  | { kind: "account_limit"; scope: "minute" | "day"; resetAt: number | null; error: string }
  | { kind: "key_rejected"; reason: "auth" | "payment"; error: string };

const MAX_ERROR_CHARS = 300;

export function classify(reply: ChatReply, expected: string | null, now: number): Verdict {
  const status = reply.http_status;

  if (reply.failure?.kind === "timeout") return fail("timeout", true, reply.failure.message);
  if (reply.failure?.kind === "network") return fail("network_error", true, reply.failure.message);

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
    );
  }
  if (reply.failure?.kind === "malformed") {
    return fail("invalid_response", false, reply.failure.message);
  }
  if (reply.text.trim() === "") {
    const why = reply.reasoning_chars > 0
      ? `reasoning only, no answer (finish_reason ${reply.finish_reason ?? "none"})`
      : `no text (finish_reason ${reply.finish_reason ?? "none"})`;
    return fail("empty_response", false, why);
  }
  if (!answerMatches(reply.text, expected)) {
    return fail("wrong_answer", false, `expected ${JSON.stringify(expected)}`);
  }
  return { kind: "check", status: "ok", retryable: false, error: null };
}

function classifyHttpError(status: number, reply: ChatReply, now: number): Verdict {
  const error = reply.error;
  const detail = error ? describe(error) : `HTTP ${status}`;
  if (status === 429) {
    const account = accountLimit(reply, now);
    if (account) return account;
    return fail("rate_limited", true, detail);
  }
  if (status === 401) return { kind: "key_rejected", reason: "auth", error: detail };
  if (status === 402) return { kind: "key_rejected", reason: "payment", error: detail };
  if (status === 408) return fail("timeout", true, detail);
  if (status === 404) return fail("not_found", false, detail);
  if (status >= 500) return fail("unavailable", true, detail);
  if (status >= 400) return fail("rejected", false, detail);
  return fail("invalid_response", false, `unexpected HTTP ${status}`);
}

/**
 * An account 429 names the free-model limit in its message ("free-models-per-min",
 * "free-models-per-day") and carries X-RateLimit-* headers; an upstream 429 names the
 * provider (`metadata.provider_name`, `metadata.raw`) and is the model's problem.
 */
function accountLimit(reply: ChatReply, now: number): Verdict | null {
  const error = reply.error;
  const message = error?.message ?? "";
  const upstream = error?.metadata?.raw !== undefined ||
    (typeof error?.metadata?.provider_name === "string" && error.metadata.provider_name !== "");
  let scope: "minute" | "day" | null = null;
  if (/free-models-per-day|per-day/i.test(message)) scope = "day";
  else if (/free-models-per-min|per-min/i.test(message)) scope = "minute";
  else if (!upstream && rateLimitHeader(reply, "x-ratelimit-limit") !== null) scope = "minute";
  if (scope === null) return null;
  return { kind: "account_limit", scope, resetAt: resetTime(reply, now), error: message };
}

/** When the account limit lifts: X-RateLimit-Reset (epoch ms), else Retry-After (seconds). */
function resetTime(reply: ChatReply, now: number): number | null {
  const reset = Number(rateLimitHeader(reply, "x-ratelimit-reset"));
  if (Number.isFinite(reset) && reset > 0) {
    // Epoch milliseconds per OpenRouter; tolerate seconds.
    return reset < 1e12 ? reset * 1000 : reset;
  }
  const retryAfter = Number(reply.headers["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return now + retryAfter * 1000;
  return null;
}

function rateLimitHeader(reply: ChatReply, name: string): string | null {
  const fromHeaders = reply.headers[name];
  if (fromHeaders !== undefined) return fromHeaders;
  const meta = reply.error?.metadata?.headers;
  if (!meta) return null;
  for (const [key, value] of Object.entries(meta)) {
    if (key.toLowerCase() === name) return String(value);
  }
  return null;
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

function fail(status: CheckStatus, retryable: boolean, error: string): Verdict {
  return { kind: "check", status, retryable, error: error.slice(0, MAX_ERROR_CHARS) };
}
