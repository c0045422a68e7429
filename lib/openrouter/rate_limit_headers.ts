/**
 * X-RateLimit-Limit, -Remaining and -Reset, read from whatever carried them: the response's
 * own headers or, on an error body, `error.metadata.headers` (OpenRouter copies them there).
 * Untrusted input: a value that is not a finite number is left out.
 */
import type { ChatReply, RateLimitHeaders } from "./types.ts";

/** Null when neither place names any of the three. */
export function readRateLimitHeaders(
  reply: Pick<ChatReply, "headers" | "error">,
): RateLimitHeaders | null {
  const limit = count(header(reply, "x-ratelimit-limit"));
  const remaining = count(header(reply, "x-ratelimit-remaining"));
  const resetAt = epochMs(header(reply, "x-ratelimit-reset"));
  if (limit === null && remaining === null && resetAt === null) return null;
  return { limit, remaining, resetAt };
}

/** One header by lower-cased name: the response's first, else the error metadata's. */
export function header(reply: Pick<ChatReply, "headers" | "error">, name: string): string | null {
  const own = reply.headers[name];
  if (own !== undefined) return own;
  const meta = reply.error?.metadata?.headers;
  if (!meta) return null;
  for (const [key, value] of Object.entries(meta)) {
    if (key.toLowerCase() === name) return String(value);
  }
  return null;
}

function count(text: string | null): number | null {
  if (text === null || text.trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : null;
}

/** Epoch milliseconds per OpenRouter; a value that can only be seconds is converted. */
function epochMs(text: string | null): number | null {
  const n = count(text);
  if (n === null || n === 0) return null;
  return n < 1e12 ? n * 1000 : n;
}
