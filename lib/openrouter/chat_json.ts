/**
 * A whole non-SSE chat body (error bodies, and providers that ignore `stream: true`) applied to
 * the ChatReply. Nothing here throws on bad input.
 */
import { isRecord, parseErrorBody, parseOpenRouterError } from "./errors.ts";
import { applyUsage, preview, reasoningLength } from "./chat_reply.ts";
import { applyMessageToolCalls } from "./chat_tools.ts";
import type { ChatReply } from "./types.ts";

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
  if (message?.tool_calls !== undefined) applyMessageToolCalls(reply, message.tool_calls);
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

/** `message.content` is a string, or (multimodal style) an array of `{type:"text", text}`. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : ""))
    .join("");
}
