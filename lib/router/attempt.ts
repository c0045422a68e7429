/**
 * One routed attempt on one model. Upstream always streams; the reply is held until its
 * first content or tool-call delta ("answered": the bytes read so far, then the rest as it
 * comes), or judged by the scanner's classifier when it fails before that (then the router
 * fails over). Nothing of the prompt or the answer is kept beyond the stream itself.
 */
import { createParser, type EventSourceParser } from "eventsource-parser";
import { applyJsonBody } from "../openrouter/chat_json.ts";
import { emptyReply, pickHeaders } from "../openrouter/chat_reply.ts";
import { applyStreamData, applyStreamEnd, type StreamStep } from "../openrouter/chat_stream.ts";
import type { Passthrough } from "../openrouter/passthrough.ts";
import type { ChatReply } from "../openrouter/types.ts";
import { classify, type Verdict } from "../scan/classify.ts";
import {
  addChunk,
  type CompletionAcc,
  hasToolCallDelta,
  newAcc,
  sseOfCompletion,
} from "./assemble.ts";

export interface AttemptDeps {
  passthrough: Passthrough;
  /** Wall clock, epoch ms (for the classifier's reset times). */
  now: () => number;
  /** Monotonic ms, for latency and TTFT. */
  monotonic: () => number;
  firstTokenMs: number;
  answerTimeoutMs: number;
}

export interface Answered {
  kind: "answered";
  status: number;
  /** The SSE bytes: what was held, then the rest of the upstream stream. */
  stream: ReadableStream<Uint8Array>;
  /** Resolves when the stream ended (or was cancelled), with what it carried. */
  finished: Promise<{ reply: ChatReply; acc: CompletionAcc }>;
}

export interface Judged {
  kind: "judged";
  reply: ChatReply;
  verdict: Verdict;
  /** The upstream body of a non-2xx answer (for returning a request's own 4xx as it is). */
  errorBody: string | null;
}

export type AttemptResult = Answered | Judged;

const encoder = new TextEncoder();

/** Read through a function: TypeScript cannot see the parser's callback change the state. */
const stepOf = (state: { step: StreamStep }): StreamStep => state.step;

export async function attempt(
  deps: AttemptDeps,
  body: Record<string, unknown>,
  signal: AbortSignal,
): Promise<AttemptResult> {
  const start = deps.monotonic();
  const elapsed = () => Math.max(0, deps.monotonic() - start);
  const upstream = new AbortController();
  let timedOut = false;
  let timer = setTimeout(() => {
    timedOut = true;
    upstream.abort();
  }, deps.firstTokenMs);
  const stopTimer = () => clearTimeout(timer);
  const both = AbortSignal.any([signal, upstream.signal]);
  const reply = emptyReply();
  const judged = (errorBody: string | null = null): Judged => {
    stopTimer();
    reply.latency_ms = elapsed();
    return { kind: "judged", reply, verdict: classify(reply, null, deps.now()), errorBody };
  };
  const lost = (what: string) => {
    reply.failure = timedOut
      ? { kind: "timeout", message: `no first token within ${deps.firstTokenMs / 1000} s` }
      : signal.aborted
      ? { kind: "timeout", message: "the client went away" }
      : { kind: "network", message: `connection lost ${what}` };
  };

  const res = await deps.passthrough({ ...body, stream: true }, both);
  if (res.kind !== "response") {
    if (timedOut) lost("before the answer");
    else reply.failure = { kind: res.kind, message: res.message };
    return judged();
  }
  reply.http_status = res.status;
  reply.headers = pickHeaders(res.headers);
  const type = (res.headers.get("content-type") ?? "").toLowerCase();
  let source = res.body;
  if (res.status < 200 || res.status >= 300 || !type.includes("text/event-stream") || !source) {
    let text: string;
    try {
      text = source ? await new Response(source).text() : "";
    } catch {
      lost("while reading the body");
      return judged();
    }
    if (res.status < 200 || res.status >= 300) {
      applyJsonBody(reply, text);
      return judged(text);
    }
    // A 2xx JSON answer to a stream request: judged as JSON, served as chunks.
    applyJsonBody(reply, text);
    const toolCalls = /"tool_calls"\s*:\s*\[\s*\{/.test(text);
    if (reply.error || reply.failure || (reply.text === "" && !toolCalls)) return judged();
    source = new Response(sseOfCompletion(JSON.parse(text.trimStart()))).body!;
    reply.http_status = res.status;
  }

  // Streaming: hold everything until the first content or tool-call delta.
  const reader = source.getReader();
  const decoder = new TextDecoder();
  const acc = newAcc();
  const state: { step: StreamStep; tool: boolean } = { step: "more", tool: false };
  reply.streamed = true;
  const parser: EventSourceParser = createParser({
    onEvent(event) {
      if (state.step !== "more") return;
      const data = event.data;
      if (data.includes('"tool_calls"') || data.includes('"choices"')) {
        try {
          const chunk: unknown = JSON.parse(data);
          addChunk(acc, chunk);
          if (!state.tool && hasToolCallDelta(chunk)) {
            state.tool = true;
            reply.ttft_ms ??= elapsed();
          }
        } catch {
          // applyStreamData records the malformed data
        }
      }
      state.step = applyStreamData(reply, data, elapsed);
    },
  });
  const held: Uint8Array[] = [];
  const answeredYet = () => reply.error === null && (reply.text !== "" || state.tool);
  try {
    while (!answeredYet()) {
      if (reply.error !== null || state.step !== "more") {
        await reader.cancel().catch(() => {});
        if (state.step !== "malformed") applyStreamEnd(reply, state.step === "done");
        return judged();
      }
      const { done, value } = await reader.read();
      if (done) {
        parser.feed(decoder.decode());
        if (answeredYet()) break;
        const step = stepOf(state); // the parser may have moved it
        if (step !== "malformed") applyStreamEnd(reply, step === "done");
        return judged();
      }
      held.push(value);
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } catch {
    lost("before the first token");
    return judged();
  }

  // Answered: from here on no failover; the rest streams through as it comes.
  stopTimer();
  timer = setTimeout(() => upstream.abort(), deps.answerTimeoutMs);
  let resolve!: (v: { reply: ChatReply; acc: CompletionAcc }) => void;
  const finished = new Promise<{ reply: ChatReply; acc: CompletionAcc }>((r) => resolve = r);
  let ended = false;
  const finish = (sawEnd: boolean) => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    if (sawEnd && state.step !== "malformed") applyStreamEnd(reply, state.step === "done");
    reply.latency_ms = elapsed();
    resolve({ reply, acc });
  };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of held) controller.enqueue(chunk);
    },
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          parser.feed(decoder.decode());
          finish(true);
          controller.close();
          return;
        }
        parser.feed(decoder.decode(value, { stream: true }));
        controller.enqueue(value);
      } catch (err) {
        lost("in the middle of the answer");
        finish(false);
        // The client sees the cut as OpenRouter's stream had it: an error event, then the end.
        controller.enqueue(encoder.encode(
          `data: ${
            JSON.stringify({
              error: { message: "upstream connection lost mid-stream", code: 502 },
            })
          }\n\n`,
        ));
        controller.close();
        void err;
      }
    },
    async cancel() {
      upstream.abort();
      await reader.cancel().catch(() => {});
      finish(false);
    },
  });
  return { kind: "answered", status: res.status, stream, finished };
}
