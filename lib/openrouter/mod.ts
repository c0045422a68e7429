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
export { applyJsonBody, buildChatBody, emptyReply, parseChatStreamText } from "./chat.ts";
