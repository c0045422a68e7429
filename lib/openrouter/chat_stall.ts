/**
 * A stream that started and then went silent: after the first token, a gap of `stallMs` with
 * no new token (content or reasoning) ends the exchange as a timeout. SSE keep-alive comments
 * (`: OPENROUTER PROCESSING`) and empty deltas are not tokens. Before the first token only the
 * request's own timeout applies.
 */
import type { ChatReply } from "./types.ts";

export function stallMessage(stallMs: number): string {
  return `stalled ${Math.round(stallMs / 100) / 10} s after the first token`;
}

export interface StallWatch {
  /** Call after each chunk of the body: notes whether a token arrived. */
  observe(): void;
  /** Milliseconds left before the stream counts as stalled; null before the first token. */
  remaining(): number | null;
}

export function stallWatch(reply: ChatReply, stallMs: number, elapsed: () => number): StallWatch {
  let seen = 0;
  let lastTokenAt: number | null = null;
  return {
    observe() {
      const tokens = reply.text.length + reply.reasoning_chars;
      if (tokens > seen) {
        seen = tokens;
        lastTokenAt = elapsed();
      }
    },
    remaining() {
      return lastTokenAt === null ? null : lastTokenAt + stallMs - elapsed();
    },
  };
}

/** `reader.read()`, or "stalled" once `ms` pass first (the timer never outlives the race). */
export async function readWithin<T>(
  reader: ReadableStreamDefaultReader<T>,
  ms: number | null,
): Promise<ReadableStreamReadResult<T> | "stalled"> {
  if (ms === null) return await reader.read();
  if (ms <= 0) return "stalled";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"stalled">((resolve) => {
    timer = setTimeout(() => resolve("stalled"), ms);
  });
  try {
    return await Promise.race([reader.read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
