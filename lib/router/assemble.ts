/**
 * The OpenAI chat shapes the router converts between: upstream is always asked to stream
 * (so every attempt has a first-token deadline and a TTFT), and a client that did not ask
 * for a stream gets the chunks assembled into one `chat.completion`. A provider that
 * answers a stream request with plain JSON is turned into chunks for a streaming client.
 */

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

interface ToolCallAcc {
  id?: string;
  type: string;
  function: { name: string; arguments: string };
}

/** Collects streamed chunks into one completion. */
export interface CompletionAcc {
  id: string | null;
  created: number | null;
  model: string | null;
  provider: string | null;
  content: string;
  reasoning: string;
  toolCalls: ToolCallAcc[];
  finishReason: string | null;
  usage: unknown;
}

export function newAcc(): CompletionAcc {
  return {
    id: null,
    created: null,
    model: null,
    provider: null,
    content: "",
    reasoning: "",
    toolCalls: [],
    finishReason: null,
    usage: null,
  };
}

/** Whether a parsed chunk carries a tool-call delta. */
export function hasToolCallDelta(chunk: unknown): boolean {
  if (!isRecord(chunk) || !Array.isArray(chunk.choices)) return false;
  const choice = chunk.choices[0];
  const delta = isRecord(choice) && isRecord(choice.delta) ? choice.delta : null;
  return delta !== null && Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0;
}

export function addChunk(acc: CompletionAcc, chunk: unknown): void {
  if (!isRecord(chunk)) return;
  if (typeof chunk.id === "string") acc.id ??= chunk.id;
  if (typeof chunk.created === "number") acc.created ??= chunk.created;
  if (typeof chunk.model === "string") acc.model ??= chunk.model;
  if (typeof chunk.provider === "string") acc.provider ??= chunk.provider;
  if (chunk.usage !== undefined && chunk.usage !== null) acc.usage = chunk.usage;
  const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
  if (!isRecord(choice)) return;
  if (typeof choice.finish_reason === "string" && choice.finish_reason !== "") {
    acc.finishReason = choice.finish_reason;
  }
  const delta = isRecord(choice.delta) ? choice.delta : null;
  if (!delta) return;
  if (typeof delta.content === "string") acc.content += delta.content;
  if (typeof delta.reasoning === "string") acc.reasoning += delta.reasoning;
  if (!Array.isArray(delta.tool_calls)) return;
  for (const [n, raw] of delta.tool_calls.entries()) {
    if (!isRecord(raw)) continue;
    const index = typeof raw.index === "number" ? raw.index : n;
    const call = acc.toolCalls[index] ??= {
      type: "function",
      function: { name: "", arguments: "" },
    };
    if (typeof raw.id === "string") call.id = raw.id;
    if (typeof raw.type === "string") call.type = raw.type;
    const fn = isRecord(raw.function) ? raw.function : null;
    if (fn && typeof fn.name === "string") call.function.name += fn.name;
    if (fn && typeof fn.arguments === "string") call.function.arguments += fn.arguments;
  }
}

export function completionOf(acc: CompletionAcc, fallbackModel: string): Record<string, unknown> {
  const message: Record<string, unknown> = { role: "assistant", content: acc.content };
  if (acc.reasoning !== "") message.reasoning = acc.reasoning;
  const calls = acc.toolCalls.filter((c) => c !== undefined);
  if (calls.length > 0) message.tool_calls = calls;
  const out: Record<string, unknown> = {
    id: acc.id ?? `gen-scouter-${crypto.randomUUID()}`,
    object: "chat.completion",
    created: acc.created ?? Math.floor(Date.now() / 1000),
    model: acc.model ?? fallbackModel,
    choices: [{ index: 0, message, finish_reason: acc.finishReason ?? "stop", logprobs: null }],
  };
  if (acc.provider) out.provider = acc.provider;
  if (acc.usage) out.usage = acc.usage;
  return out;
}

/** A whole `chat.completion` as SSE chunks (a delta with everything, then [DONE]). */
export function sseOfCompletion(body: Record<string, unknown>): string {
  const choice = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : {};
  const message = isRecord(choice.message) ? choice.message : {};
  const delta: Record<string, unknown> = { role: "assistant", content: message.content ?? "" };
  if (Array.isArray(message.tool_calls)) {
    delta.tool_calls = message.tool_calls.map((c, index) => isRecord(c) ? { index, ...c } : c);
  }
  const base = {
    id: body.id,
    object: "chat.completion.chunk",
    created: body.created,
    model: body.model,
  };
  const first = { ...base, choices: [{ index: 0, delta, finish_reason: null }] };
  const last = {
    ...base,
    choices: [{ index: 0, delta: {}, finish_reason: choice.finish_reason ?? "stop" }],
    ...(body.usage ? { usage: body.usage } : {}),
  };
  return `data: ${JSON.stringify(first)}\n\ndata: ${JSON.stringify(last)}\n\ndata: [DONE]\n\n`;
}
