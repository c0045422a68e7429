/** Replaces every occurrence of a secret (API key, tokens) with a fixed mark. */
export function redact(text: string, secrets: readonly (string | null)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.replaceAll(secret, "[redacted]");
  }
  return out;
}

export type Log = (message: string) => void;

/** Timestamped lines on stderr, with the secrets taken out: the only way Scouter logs. */
export function createLog(
  secrets: readonly (string | null)[],
  write: (line: string) => void = (line) => console.error(line),
): Log {
  return (message) => write(`${new Date().toISOString()} ${redact(message, secrets)}`);
}
