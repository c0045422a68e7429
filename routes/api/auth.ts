/** `Authorization: Bearer <token>` against the admin token, in constant time. */

const encoder = new TextEncoder();

/** The token of an `Authorization: Bearer …` header; null when absent or another scheme. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m ? m[1] : null;
}

/**
 * Whether `given` equals `expected`, taking the same time whatever they hold: both are hashed
 * (SHA-256) first, so the comparison runs over 32 bytes whatever their lengths, and the loop
 * never exits early.
 */
export async function tokensMatch(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}
