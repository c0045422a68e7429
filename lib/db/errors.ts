/** Storage errors: one line, safe to print, never carrying a credential. */

export class StoreError extends Error {
  override name = "StoreError";
}

/**
 * Flattens an error to one short line and removes secrets from it: the given token(s) and any
 * `authToken=` query parameter a URL in the message might carry.
 */
export function describeError(
  e: unknown,
  secrets: readonly (string | null | undefined)[] = [],
): string {
  let text = e instanceof Error ? e.message : String(e);
  for (const secret of secrets) {
    if (secret) text = text.replaceAll(secret, "***");
  }
  text = text.replace(/(authToken=)[^&\s'"]*/gi, "$1***");
  text = text.replace(/\s+/g, " ").trim();
  return text.length > 300 ? `${text.slice(0, 297)}...` : text || "unknown error";
}
