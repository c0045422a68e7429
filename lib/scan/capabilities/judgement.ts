/** What a capability check concluded from an answer that came back. */
export interface Judgement {
  verified: boolean;
  /** Short; never the model's whole answer. */
  detail: string | null;
}

export const pass = (detail: string | null = null): Judgement => ({ verified: true, detail });
export const fail = (detail: string): Judgement => ({ verified: false, detail });

/** A quoted snippet of untrusted text for a detail line (one line, at most `max` characters). */
export function snippet(text: string, max = 24): string {
  const one = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(one.length > max ? `${one.slice(0, max)}…` : one);
}
