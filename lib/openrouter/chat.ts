/**
 * POST /chat/completions: the request body, and turning whatever comes back (an SSE stream,
 * a plain JSON body, an error body, garbage) into a ChatReply. Nothing here throws on bad
 * input: every outcome is data for the classifier.
 */
import { createParser } from "eventsource-parser";
import { isRecord, parseErrorBody, parseOpenRouterError } from "./errors.ts";
import type { ChatReply, ChatRequest } from "./types.ts";

/** Response headers worth keeping (lower-cased): account limits and back-off hints. */
const KEPT_HEADERS = [
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "retry-after",
];

/** A single SSE line longer than this is an attack or a bug, not a chat chunk. */
const MAX_SSE_BUFFER = 4 * 1024 * 1024;

export function buildChatBody(req: ChatRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: req.model,
    messages: [{ role: "user", content: req.prompt }],
    stream: true,
    max_tokens: req.max_tokens,
    usage: { include: true },
  };
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.reasoning !== undefined) body.reasoning = req.reasoning;
  return body;
}

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

// ---------------------------------------------------------------------------------------
// Streaming (text/event-stream)

/** What one SSE `data:` payload did to the exchange. */
export type StreamStep = "more" | "done" | "malformed";

/**
 * Applies one SSE `data` payload to `reply`. `elapsed()` is called once, at the first
 * non-empty content delta, to set `ttft_ms`.
 */
export function applyStreamData(reply: ChatReply, data: string, elapsed: () => number): StreamStep {
  const trimmed = data.trim();
  if (trimmed === "[DONE]") return "done";
  let chunk: unknown;
  try {
    chunk = JSON.parse(trimmed);
  } catch {
    reply.failure = { kind: "malformed", message: `stream data is not JSON: ${preview(trimmed)}` };
    return "malformed";
  }
  if (!isRecord(chunk)) {
    reply.failure = {
      kind: "malformed",
      message: `stream data is not an object: ${preview(trimmed)}`,
    };
    return "malformed";
  }
  if (reply.provider === null && typeof chunk.provider === "string" && chunk.provider !== "") {
    reply.provider = chunk.provider;
  }
  if (chunk.error !== undefined) {
    reply.error = parseOpenRouterError(chunk.error) ??
      {
        message: `stream error: ${preview(JSON.stringify(chunk.error))}`,
        code: null,
        metadata: null,
      };
    reply.error_in = "stream";
  }
  const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
  if (isRecord(choice)) {
    const delta = isRecord(choice.delta) ? choice.delta : null;
    const content = delta ? delta.content : choice.text; // `text`: legacy completions chunks
    if (typeof content === "string" && content !== "") {
      if (reply.ttft_ms === null) reply.ttft_ms = elapsed();
      reply.text += content;
    }
    if (delta) reply.reasoning_chars += reasoningLength(delta);
    if (typeof choice.finish_reason === "string" && choice.finish_reason !== "") {
      reply.finish_reason = choice.finish_reason;
    }
    if (choice.error !== undefined && reply.error === null) {
      reply.error = parseOpenRouterError(choice.error);
      if (reply.error) reply.error_in = "stream";
    }
  }
  applyUsage(reply, chunk.usage);
  return "more";
}

/**
 * Called when the stream ends. A stream that stopped without `[DONE]`, without a
 * finish_reason and without an error chunk was cut short.
 */
export function applyStreamEnd(reply: ChatReply, sawDone: boolean): void {
  if (reply.failure !== null) return;
  if (!sawDone && reply.finish_reason === null && reply.error === null) {
    reply.failure = { kind: "malformed", message: "stream ended early" };
  }
}

/**
 * Feeds a complete SSE body into `reply` (fixtures, tests): the same path as a live stream,
 * minus the network.
 */
export function parseChatStreamText(sse: string, reply: ChatReply = emptyReply()): ChatReply {
  reply.streamed = true;
  const state: { step: StreamStep } = { step: "more" };
  const parser = createParser({
    onEvent(event) {
      if (state.step === "more") state.step = applyStreamData(reply, event.data, () => 0);
    },
  });
  parser.feed(sse);
  if (state.step !== "malformed") applyStreamEnd(reply, state.step === "done");
  return reply;
}

/**
 * Reads a live SSE body into `reply`. Stops at `[DONE]` or malformed data (cancelling the
 * rest of the body); read errors propagate to the caller, which knows about the signal.
 */
export async function readChatStream(
  body: ReadableStream<Uint8Array>,
  reply: ChatReply,
  elapsed: () => number,
): Promise<void> {
  reply.streamed = true;
  // An object, not `let`s: TypeScript would not see the parser callbacks change them.
  const state: { step: StreamStep; parseFailure: string | null } = {
    step: "more",
    parseFailure: null,
  };
  const parser = createParser({
    maxBufferSize: MAX_SSE_BUFFER,
    onEvent(event) {
      if (state.step === "more") state.step = applyStreamData(reply, event.data, elapsed);
    },
    onError(err) {
      if (err.type === "max-buffer-size-exceeded") state.parseFailure = "stream line too long";
    },
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    while (state.step === "more" && state.parseFailure === null) {
      const { done, value } = await reader.read();
      if (done) {
        parser.feed(decoder.decode());
        break;
      }
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    if (state.step !== "more" || state.parseFailure !== null) {
      // Finished early ([DONE] or garbage): release the connection instead of draining it.
      await reader.cancel().catch(() => {});
    }
    reader.releaseLock();
  }
  if (state.parseFailure !== null) {
    reply.failure = { kind: "malformed", message: state.parseFailure };
    return;
  }
  if (state.step !== "malformed") applyStreamEnd(reply, state.step === "done");
}

// ---------------------------------------------------------------------------------------
// Plain JSON bodies (errors, and providers that ignore stream:true)

/**
 * Applies a whole non-SSE body to `reply`, whose `http_status` must be set. OpenRouter may
 * pad the JSON with leading whitespace, so that is trimmed first.
 */
export function applyJsonBody(reply: ChatReply, text: string): void {
  const status = reply.http_status ?? 0;
  const ok = status >= 200 && status < 300;
  const trimmed = text.trimStart();
  if (trimmed === "") {
    reply.failure = { kind: "malformed", message: `empty body (HTTP ${status})` };
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(trimmed);
  } catch {
    reply.failure = { kind: "malformed", message: `body is not JSON: ${preview(trimmed)}` };
    return;
  }
  if (!isRecord(body)) {
    reply.failure = {
      kind: "malformed",
      message: `body is not a JSON object: ${preview(trimmed)}`,
    };
    return;
  }
  if (typeof body.provider === "string" && body.provider !== "") reply.provider = body.provider;
  const error = parseErrorBody(body);
  if (error) {
    reply.error = error;
    reply.error_in = "body";
    if (reply.provider === null && typeof error.metadata?.provider_name === "string") {
      reply.provider = error.metadata.provider_name;
    }
    return;
  }
  if (!ok) return; // a non-2xx without an error object: the status says it all
  const choice = Array.isArray(body.choices) ? body.choices[0] : undefined;
  if (!isRecord(choice)) {
    reply.failure = { kind: "malformed", message: "response has no choices" };
    return;
  }
  const message = isRecord(choice.message) ? choice.message : null;
  reply.text = message
    ? contentText(message.content)
    : (typeof choice.text === "string" ? choice.text : "");
  if (message) reply.reasoning_chars = reasoningLength(message);
  if (typeof choice.finish_reason === "string" && choice.finish_reason !== "") {
    reply.finish_reason = choice.finish_reason;
  }
  if (choice.error !== undefined) {
    reply.error = parseOpenRouterError(choice.error) ??
      {
        message: `choice error: ${preview(JSON.stringify(choice.error))}`,
        code: null,
        metadata: null,
      };
    reply.error_in = "choice";
  }
  applyUsage(reply, body.usage);
}

// ---------------------------------------------------------------------------------------

function applyUsage(reply: ChatReply, usage: unknown): void {
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
function reasoningLength(obj: Record<string, unknown>): number {
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

/** `message.content` is a string, or (multimodal style) an array of `{type:"text", text}`. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : ""))
    .join("");
}

/** The start of an untrusted text, for error messages. */
function preview(text: string, max = 120): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}
