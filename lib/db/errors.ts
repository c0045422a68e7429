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

/**
 * A storage failure in the words a user acts on — the disk is full, the database is
 * read-only — with the driver's message after it; anything else as describeError has it.
 */
export function explainStoreError(e: unknown): string {
  // libsql repeats the code: "SQLITE_FULL: SQLITE_FULL: database or disk is full".
  const text = describeError(e).replace(/^(SQLITE_\w+): \1: /, "$1: ");
  if (/SQLITE_FULL|disk is full|ENOSPC|no space left/i.test(text)) {
    return `the disk is full (${text})`;
  }
  if (/SQLITE_READONLY|read-only file system|EROFS/i.test(text)) {
    return `the database is read-only (${text})`;
  }
  return text;
}
