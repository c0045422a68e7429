/**
 * The ChatReply every chat attempt fills in, and the readers shared by the streamed and the
 * plain-JSON paths (usage, reasoning, previews of untrusted text). Nothing here throws.
 */
import { isRecord } from "./errors.ts";
import type { ChatReply } from "./types.ts";

/** Response headers worth keeping (lower-cased): account limits and back-off hints. */
const KEPT_HEADERS = [
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "retry-after",
];

export function emptyReply(): ChatReply {
  return {
    http_status: null,
    headers: {},
    error: null,
    error_in: null,
    text: "",
    reasoning_chars: 0,
    finish_reason: null,
    provider: null,
    completion_tokens: null,
    reasoning_tokens: null,
    ttft_ms: null,
    latency_ms: 0,
    streamed: false,
    failure: null,
  };
}

export function pickHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const v = headers.get(name);
    if (v !== null) out[name] = v;
  }
  return out;
}

export function applyUsage(reply: ChatReply, usage: unknown): void {
  if (!isRecord(usage)) return;
  if (typeof usage.completion_tokens === "number" && Number.isFinite(usage.completion_tokens)) {
    reply.completion_tokens = usage.completion_tokens;
  }
  const details = usage.completion_tokens_details;
  if (
    isRecord(details) && typeof details.reasoning_tokens === "number" &&
    Number.isFinite(details.reasoning_tokens)
  ) {
    reply.reasoning_tokens = details.reasoning_tokens;
  }
}

/**
 * Characters of reasoning in a delta or message. OpenRouter sends the same reasoning both
 * as `reasoning` and as `reasoning_details`, so only the first present form is counted.
 */
export function reasoningLength(obj: Record<string, unknown>): number {
  for (const key of ["reasoning", "reasoning_content"]) {
    const v = obj[key];
    if (typeof v === "string" && v !== "") return v.length;
  }
  const details = obj.reasoning_details;
  if (!Array.isArray(details)) return 0;
  let n = 0;
  for (const d of details) {
    if (!isRecord(d)) continue;
    for (const key of ["text", "summary"]) {
      const v = d[key];
      if (typeof v === "string") n += v.length;
    }
  }
  return n;
}

/** The start of an untrusted text, for error messages. */
export function preview(text: string, max = 120): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}
