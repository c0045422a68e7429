/** POST /chat/completions: the request body Scouter sends for one check. */
import type { ChatRequest } from "./types.ts";

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
