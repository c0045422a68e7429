/**
 * The `reasoning` capability costs no request: an ordinary health probe whose answer carried
 * reasoning (`delta.reasoning` / `reasoning_details` text, or `reasoning_tokens` > 0 in the
 * usage) shows it. Only "yes" is learnt this way: probes turn reasoning off where the model
 * allows it, so an answer without reasoning says nothing.
 */
import type { ChatReply, ChatRequest } from "../../openrouter/types.ts";
import type { ChatFn } from "../probe.ts";

/** Did this answer reason? */
export function showsReasoning(reply: ChatReply): boolean {
  const ok = reply.http_status !== null && reply.http_status >= 200 && reply.http_status < 300;
  return ok && (reply.reasoning_chars > 0 || (reply.reasoning_tokens ?? 0) > 0);
}

/** The chat function, noting in `seen` each model whose answer reasoned. */
export function observeReasoning(chat: ChatFn, seen: Set<string>): ChatFn {
  return async (req: ChatRequest, signal: AbortSignal) => {
    const reply = await chat(req, signal);
    if (showsReasoning(reply)) seen.add(req.model);
    return reply;
  };
}
