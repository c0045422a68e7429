/** POST /chat/completions: the request body Scouter sends for one check (or capability check). */
import type { ChatRequest } from "./types.ts";

export function buildChatBody(req: ChatRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: req.model,
    messages: [{ role: "user", content: req.content ?? req.prompt }],
    stream: req.stream ?? true,
    max_tokens: req.max_tokens,
    usage: { include: true },
  };
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.reasoning !== undefined) body.reasoning = req.reasoning;
  // Capability checks (lib/scan/capabilities/): what they ask of the model.
  if (req.tools !== undefined) body.tools = req.tools;
  if (req.tool_choice !== undefined) body.tool_choice = req.tool_choice;
  if (req.response_format !== undefined) body.response_format = req.response_format;
  return body;
}
