/** Replaces every occurrence of a secret (API key, tokens) with a fixed mark. */
export function redact(text: string, secrets: readonly (string | null)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.replaceAll(secret, "[redacted]");
  }
  return out;
}

/**
 * Control characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides.
 * Text from OpenRouter (model ids, error messages) holding them could forge log lines, drive a
 * terminal with escape sequences or display reordered.
 */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` on one line, every unprintable character shown as its `\uXXXX` escape. */
export function printable(text: string): string {
  return text.replace(
    UNPRINTABLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export type Log = (message: string) => void;

/**
 * Timestamped lines on stderr, secrets taken out, one line per message whatever it holds: the
 * only way Scouter logs.
 */
export function createLog(
  secrets: readonly (string | null)[],
  write: (line: string) => void = (line) => console.error(line),
): Log {
  return (message) => write(`${new Date().toISOString()} ${printable(redact(message, secrets))}`);
}
