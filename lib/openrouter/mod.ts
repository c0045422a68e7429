/** The OpenRouter client's public surface, for `import … from "lib/openrouter/mod.ts"`. */
export * from "./types.ts";
export {
  createOpenRouterClient,
  type OpenRouterClient,
  type OpenRouterClientOptions,
} from "./client.ts";
export {
  filterModels,
  freeModels,
  isFreeModel,
  isRouterId,
  type ModelFilter,
  parseCatalogPage,
} from "./catalog.ts";
export {
  CatalogError,
  KeyInfoError,
  OpenRouterRequestError,
  parseErrorBody,
  parseOpenRouterError,
} from "./errors.ts";
export { parseKeyInfo } from "./key.ts";
export { applyJsonBody } from "./chat_json.ts";
export { emptyReply } from "./chat_reply.ts";
export { buildChatBody } from "./chat_request.ts";
export { parseChatStreamText } from "./chat_stream.ts";
export { header as rateLimitHeader, readRateLimitHeaders } from "./rate_limit_headers.ts";
