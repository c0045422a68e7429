/**
 * OpenRouter's error shapes, and the errors this client throws.
 *
 * Everything here reads untrusted input: a body may be anything, so every field is checked
 * before use and a wrong type degrades to null instead of throwing.
 */
import type { OpenRouterError } from "./types.ts";

/** How a non-chat request (catalog, key) failed. */
export type RequestFailureKind = "http" | "network" | "timeout" | "malformed";

/**
 * A failed GET to OpenRouter. `status` is the HTTP status when a response arrived (so a 401
 * can be told apart), `error` the parsed `{"error": …}` body when there was one.
 * The message never holds the API key.
 */
export class OpenRouterRequestError extends Error {
  readonly kind: RequestFailureKind;
  readonly status: number | null;
  readonly error: OpenRouterError | null;

  constructor(
    message: string,
    opts: { kind: RequestFailureKind; status?: number | null; error?: OpenRouterError | null },
  ) {
    super(message);
    this.name = "OpenRouterRequestError";
    this.kind = opts.kind;
    this.status = opts.status ?? null;
    this.error = opts.error ?? null;
  }
}

/** GET /models failed: HTTP error, unreadable body, timeout or network failure. */
export class CatalogError extends OpenRouterRequestError {
  constructor(
    message: string,
    opts: { kind: RequestFailureKind; status?: number | null; error?: OpenRouterError | null },
  ) {
    super(message, opts);
    this.name = "CatalogError";
  }
}

/** GET /key failed. A `status` of 401 means the key is wrong or revoked. */
export class KeyInfoError extends OpenRouterRequestError {
  constructor(
    message: string,
    opts: { kind: RequestFailureKind; status?: number | null; error?: OpenRouterError | null },
  ) {
    super(message, opts);
    this.name = "KeyInfoError";
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads OpenRouter's error object (the value of the `error` key). Returns null when the
 * value is not an object; a missing or non-string message becomes a generic one.
 */
export function parseOpenRouterError(value: unknown): OpenRouterError | null {
  if (!isRecord(value)) return null;
  const message = typeof value.message === "string" && value.message !== ""
    ? value.message
    : "(no error message)";
  const code = typeof value.code === "number" || typeof value.code === "string" ? value.code : null;
  return { message, code, metadata: parseMetadata(value.metadata) };
}

function parseMetadata(value: unknown): OpenRouterError["metadata"] {
  if (!isRecord(value)) return null;
  // Unknown keys are kept as they came (they are only ever serialised, never interpreted);
  // the known keys are re-typed so consumers can trust them.
  const out: NonNullable<OpenRouterError["metadata"]> = { ...value };
  if ("provider_name" in value) {
    out.provider_name = typeof value.provider_name === "string" ? value.provider_name : null;
  }
  if ("headers" in value) {
    const headers: Record<string, string> = {};
    if (isRecord(value.headers)) {
      for (const [k, v] of Object.entries(value.headers)) {
        if (typeof v === "string") headers[k] = v;
        else if (typeof v === "number" && Number.isFinite(v)) headers[k] = String(v);
      }
    }
    out.headers = headers;
  }
  if ("limit_source" in value) {
    out.limit_source = typeof value.limit_source === "string" ? value.limit_source : null;
  }
  if ("reasons" in value) {
    out.reasons = Array.isArray(value.reasons)
      ? value.reasons.filter((r): r is string => typeof r === "string")
      : [];
  }
  if ("flagged_input" in value) {
    if (typeof value.flagged_input === "string") out.flagged_input = value.flagged_input;
    else delete out.flagged_input;
  }
  return out;
}

/** Reads a whole error body `{"error": {…}}`; null when it has no error object. */
export function parseErrorBody(body: unknown): OpenRouterError | null {
  return isRecord(body) ? parseOpenRouterError(body.error) : null;
}

/** Shorter "secrets" are not scrubbed: replacing a 2-letter key would mangle every text. */
const MIN_SECRET_LENGTH = 8;

/**
 * Removes every occurrence of `secret` from all strings inside `value` (deeply, returning
 * a copy). Used as a last line of defence so that no reply or error echoes the API key,
 * even when a server or a runtime error message repeats it.
 */
export function scrubSecret<T>(value: T, secret: string | null): T {
  if (!secret || secret.length < MIN_SECRET_LENGTH) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return v.includes(secret) ? v.split(secret).join("[redacted]") : v;
    if (Array.isArray(v)) return v.map(walk);
    if (isRecord(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[walk(k) as string] = walk(inner);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/** Same as {@link scrubSecret} for one string. */
export function scrubText(text: string, secret: string | null): string {
  if (!secret || secret.length < MIN_SECRET_LENGTH) return text;
  return text.includes(secret) ? text.split(secret).join("[redacted]") : text;
}

/** A short, key-free description of a thrown fetch/read error. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
    return `${err.name}: ${err.message}${cause}`;
  }
  return String(err);
}
