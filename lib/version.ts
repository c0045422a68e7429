/** Scouter's version, sent in the User-Agent and shown by the CLI and dashboard. */
export const SCOUTER_VERSION = "0.1.0";

/** Names Scouter to OpenRouter and to the providers behind it. */
export const USER_AGENT = `Scouter/${SCOUTER_VERSION} (OpenRouter free-model scouter)`;
