/** Stalls (issue 15 part 6): a stream silent after its first token ends as a timeout. */
import assert from "node:assert/strict";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import { readChatStream } from "../../lib/openrouter/chat_stream.ts";
import { emptyReply } from "../../lib/openrouter/chat_reply.ts";
import { stallMessage } from "../../lib/openrouter/chat_stall.ts";
import { classify } from "../../lib/scan/classify.ts";
import { type FakeModelSpec, startFakeOpenRouter } from "../fake_openrouter.ts";

const STALL_MS = 300;
const PROMPT = "Respond with the exact text: OK";

async function chatOnce(spec: FakeModelSpec, timeoutMs = 3_000, stallMs: number | null = STALL_MS) {
  const fake = await startFakeOpenRouter({ models: [spec] });
  try {
    const client = createOpenRouterClient({ baseUrl: fake.url, apiKey: null, stallMs });
    return await client.chat(
      { model: spec.id, prompt: PROMPT, max_tokens: 64 },
      AbortSignal.timeout(timeoutMs),
    );
  } finally {
    await fake.close();
  }
}

Deno.test("stall: the message names the window", () => {
  assert.equal(stallMessage(10_000), "stalled 10 s after the first token");
  assert.equal(stallMessage(300), "stalled 0.3 s after the first token");
});

Deno.test("stall: a stream silent after its first token ends as a timeout, with the text so far", async () => {
  const reply = await chatOnce({ id: "s/stall:free", behaviors: ["stall"], chunkDelayMs: 50 });
  assert.equal(reply.failure?.kind, "timeout");
  assert.equal(reply.failure?.message, "stalled 0.3 s after the first token");
  assert.equal(reply.text, "O");
  assert.equal(reply.http_status, 200);
  // TTFT is the first token; the latency runs to the moment the stall was called.
  assert.ok(reply.ttft_ms !== null && reply.ttft_ms < 250, `ttft ${reply.ttft_ms}`);
  assert.ok(reply.latency_ms >= reply.ttft_ms + STALL_MS - 5, `latency ${reply.latency_ms}`);
  assert.ok(
    reply.latency_ms < 2_000,
    `latency ${reply.latency_ms} (the 3 s timeout did not end it)`,
  );
  const verdict = classify(reply, "OK", Date.now());
  assert.equal(verdict.kind === "check" ? verdict.status : verdict.kind, "timeout");
});

Deno.test("stall: keep-alive comments are not tokens (a comment every 20 ms still stalls)", async () => {
  const reply = await chatOnce({ id: "s/keepalive:free", behaviors: ["stall"], chunkDelayMs: 20 });
  assert.equal(reply.failure?.message, "stalled 0.3 s after the first token");
  assert.ok(reply.latency_ms < 2_000);
});

Deno.test("stall: without a stall window, only the timeout ends a stalled stream", async () => {
  const reply = await chatOnce(
    { id: "s/nowindow:free", behaviors: ["stall"], chunkDelayMs: 50 },
    800,
    null,
  );
  assert.equal(reply.failure?.kind, "timeout");
  assert.equal(reply.failure?.message, "timed out");
  assert.ok(reply.latency_ms >= 790);
});

Deno.test("stall: reasoning deltas flowing are not a stall, nor is a slow answer within the window", async () => {
  const reply = await chatOnce({
    id: "s/thinking:free",
    behaviors: ["slow"],
    chunkDelayMs: 120,
    reasoningText: "The user wants OK. I should answer with exactly that text now.",
  });
  assert.equal(reply.failure, null);
  assert.equal(reply.text, "OK");
  assert.ok(reply.reasoning_chars > 0);
  // Longer than the stall window in total, each gap within it.
  assert.ok(reply.latency_ms > 3 * STALL_MS, `latency ${reply.latency_ms}`);
  assert.ok(reply.ttft_ms !== null && reply.ttft_ms <= reply.latency_ms);
});

Deno.test("stall: before the first token the timeout applies, not the stall window", async () => {
  const late = await chatOnce({ id: "s/late:free", behaviors: ["ok"], delayMs: 2 * STALL_MS });
  assert.equal(late.failure, null);
  assert.equal(late.text, "OK");
  assert.ok(late.ttft_ms !== null && late.ttft_ms >= 2 * STALL_MS - 5);

  const hang = await chatOnce({ id: "s/hang:free", behaviors: ["hang"] }, 2 * STALL_MS);
  assert.equal(hang.failure?.kind, "timeout");
  assert.equal(hang.failure?.message, "timed out");
});

Deno.test("stall: a silence after the first token counts from the last token (injected clock)", async () => {
  // The body: a token, a keep-alive comment, then nothing until cancelled.
  const enc = new TextEncoder();
  let cancelled = false;
  const token = `data: ${JSON.stringify({ choices: [{ delta: { content: "O" } }] })}\n\n`;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(enc.encode(token));
      c.enqueue(enc.encode(": OPENROUTER PROCESSING\n\n"));
    },
    cancel() {
      cancelled = true;
    },
  });
  let t = 1_000;
  const reply = emptyReply();
  await readChatStream(body, reply, () => (t += 10), 100);
  assert.equal(reply.failure?.message, "stalled 0.1 s after the first token");
  assert.equal(reply.text, "O");
  assert.ok(cancelled, "the stalled body is cancelled, not left open");
});
