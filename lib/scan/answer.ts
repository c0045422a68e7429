/**
 * Judging an answer. The default prompt asks for an exact text; the answer matches when it is
 * the same once trimmed, lower-cased and stripped of punctuation, symbols and inline
 * `<think>` blocks (some reasoning models put their reasoning in the content).
 */

/** The text the prompt asks for ("… exact text: OK" → "OK"), or null when it names none. */
export function expectedAnswer(prompt: string): string | null {
  const match = prompt.match(/exact text\s*:\s*(.+)$/is);
  if (!match) return null;
  const wanted = match[1].trim().replace(/^["'“”‘’`]+|["'“”‘’`]+$/g, "").trim();
  return wanted.length > 0 ? wanted : null;
}

export function normaliseAnswer(text: string): string {
  return text
    .replace(/<think>[\s\S]*?<\/think>/gi, "")
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * True when `text` answers the prompt. With no expected text named, any non-empty answer
 * counts (the prompt is the user's own).
 */
export function answerMatches(text: string, expected: string | null): boolean {
  const got = normaliseAnswer(text);
  if (expected === null) return got.length > 0;
  return got === normaliseAnswer(expected);
}
