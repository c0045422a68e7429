/**
 * Reading a streamed chat reply (text/event-stream): each SSE `data:` payload applied to the
 * ChatReply, the end of the stream judged. Nothing here throws on bad input: every outcome is
 * data for the classifier.
 */
import { createParser } from "eventsource-parser";
import { isRecord, parseOpenRouterError } from "./errors.ts";
import { applyUsage, emptyReply, preview, reasoningLength } from "./chat_reply.ts";
import { readWithin, stallMessage, stallWatch } from "./chat_stall.ts";
import { applyToolCallDeltas } from "./chat_tools.ts";
import type { ChatReply } from "./types.ts";

/** A single SSE line longer than this is an attack or a bug, not a chat chunk. */
const MAX_SSE_BUFFER = 4 * 1024 * 1024;

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
    if (delta?.tool_calls !== undefined) applyToolCallDeltas(reply, delta.tool_calls);
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
 * rest of the body), or, with `stallMs`, at a silence that long after a token (chat_stall.ts);
 * read errors propagate to the caller, which knows about the signal.
 */
export async function readChatStream(
  body: ReadableStream<Uint8Array>,
  reply: ChatReply,
  elapsed: () => number,
  stallMs: number | null = null,
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
  const watch = stallMs === null ? null : stallWatch(reply, stallMs, elapsed);
  let stalled = false;
  try {
    while (state.step === "more" && state.parseFailure === null) {
      const read = await readWithin(reader, watch?.remaining() ?? null);
      if (read === "stalled") {
        stalled = true;
        break;
      }
      if (read.done) {
        parser.feed(decoder.decode());
        break;
      }
      parser.feed(decoder.decode(read.value, { stream: true }));
      watch?.observe();
    }
  } finally {
    if (stalled || state.step !== "more" || state.parseFailure !== null) {
      // Finished early ([DONE] or garbage): release the connection instead of draining it.
      await reader.cancel().catch(() => {});
    }
    reader.releaseLock();
  }
  if (state.parseFailure !== null) {
    reply.failure = { kind: "malformed", message: state.parseFailure };
    return;
  }
  if (stalled && stallMs !== null) {
    reply.failure = { kind: "timeout", message: stallMessage(stallMs) };
    return;
  }
  if (state.step !== "malformed") applyStreamEnd(reply, state.step === "done");
}
