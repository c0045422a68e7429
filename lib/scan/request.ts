import type { CatalogModel, ChatRequest } from "../openrouter/types.ts";

/**
 * The token budget for a check. Reasoning models spend completion tokens on reasoning before
 * the answer; several free ones reason whatever we ask (`reasoning.mandatory`) and some
 * return no text at all below ~100 max_tokens. 1024 leaves a healthy reasoning model room to
 * answer "OK"; a non-reasoning model stops after a token or two, so the cap costs nothing.
 */
export const MAX_TOKENS = 1024;

const EFFORT_ORDER = ["none", "minimal", "low", "medium", "high", "xhigh", "max"];

/**
 * The chat request for one check. Reasoning is turned off where the model allows it (the
 * check measures whether and how fast it answers, not how long it thinks); where reasoning
 * is mandatory, the lowest effort the model supports is asked for.
 */
export function buildChatRequest(model: CatalogModel, prompt: string): ChatRequest {
  const request: ChatRequest = {
    model: model.id,
    prompt,
    max_tokens: MAX_TOKENS,
    temperature: 0,
  };
  const canReason = model.reasoning !== null ||
    model.supported_parameters.includes("reasoning");
  if (!canReason || model.is_router) return request;
  if (model.reasoning?.mandatory) {
    request.reasoning = { effort: lowestEffort(model.reasoning.supported_efforts) };
  } else {
    request.reasoning = { enabled: false };
  }
  return request;
}

function lowestEffort(supported: string[]): string {
  const known = supported.filter((e) => EFFORT_ORDER.includes(e) && e !== "none");
  if (known.length === 0) return "low";
  return known.sort((a, b) => EFFORT_ORDER.indexOf(a) - EFFORT_ORDER.indexOf(b))[0];
}
