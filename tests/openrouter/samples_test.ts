/** The chat/key parsers against real OpenRouter bytes (tests/fixtures/openrouter, unchanged). */
import assert from "node:assert/strict";
import { applyJsonBody } from "../../lib/openrouter/chat_json.ts";
import { emptyReply } from "../../lib/openrouter/chat_reply.ts";
import { parseChatStreamText } from "../../lib/openrouter/chat_stream.ts";
import { parseKeyInfo } from "../../lib/openrouter/key.ts";
import type { ChatReply } from "../../lib/openrouter/types.ts";
import { readFixture, readJsonFixture } from "./_fixtures.ts";

function jsonReply(status: number, body: string): ChatReply {
  const reply = emptyReply();
  reply.http_status = status;
  applyJsonBody(reply, body);
  return reply;
}

Deno.test("sample: partial SSE (no [DONE]) keeps text and provider, fails as ended early", () => {
  const raw = readFixture("sse-partial-openai-go-issue227-2025-02-13.txt");
  assert.ok(raw.startsWith(": OPENROUTER PROCESSING\n"));
  const reply = parseChatStreamText(raw);
  const lastChunk = JSON.parse(raw.trim().split("\n").at(-1)!.slice("data: ".length));
  assert.equal(reply.text, lastChunk.choices[0].delta.content);
  assert.equal(reply.text.length, 1);
  assert.equal(reply.provider, "OpenAI");
  assert.equal(reply.finish_reason, null);
  assert.equal(reply.streamed, true);
  assert.deepEqual(reply.failure, { kind: "malformed", message: "stream ended early" });
  assert.equal(reply.error, null);
});

Deno.test("sample: usage chunk after the finish chunk (data: prefixes restored)", () => {
  // The reporter removed the `data: ` prefixes; the payloads are separated by blank lines.
  // Restore the SSE framing exactly as OpenRouter sends it, then end with [DONE].
  const raw = readFixture("sse-tail-usage-after-finish-gram-pr921-2025-11-25.txt");
  const payloads = raw.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p !== "");
  assert.equal(payloads.length, 2);
  const sse = payloads.map((p) => `data: ${p}\n\n`).join("");

  const withDone = parseChatStreamText(sse + "data: [DONE]\n\n");
  assert.equal(withDone.failure, null);
  assert.equal(withDone.finish_reason, "stop"); // not reset to null by the later usage chunk
  assert.equal(withDone.completion_tokens, 52);
  assert.equal(withDone.reasoning_tokens, 0);
  assert.equal(withDone.provider, "OpenAI");
  assert.equal(withDone.text, "");
  assert.equal(withDone.ttft_ms, null);

  // As cut (no [DONE]), a stream with a finish_reason is still complete.
  const asCut = parseChatStreamText(sse);
  assert.equal(asCut.failure, null);
  assert.equal(asCut.completion_tokens, 52);
});

Deno.test("sample: non-stream body with leading whitespace padding", () => {
  const raw = readFixture(
    "completion-nonstream-leading-whitespace-typescript-sdk-issue101-2025-12-02.txt",
  );
  assert.match(raw, /^\n\s+\n/);
  const reply = jsonReply(200, raw);
  assert.equal(reply.failure, null);
  assert.equal(reply.error, null);
  assert.equal(reply.provider, "Google");
  assert.equal(reply.text, ""); // legacy choices[0].text
  assert.equal(reply.finish_reason, "stop");
  assert.equal(reply.completion_tokens, 9);
  assert.equal(reply.streamed, false);
});

Deno.test("sample: account-level free-models-per-day 429 body", () => {
  const raw = readFixture("error-429-free-models-per-day-2026-05.json");
  const reply = jsonReply(429, raw);
  assert.equal(reply.failure, null);
  assert.equal(reply.error_in, "body");
  assert.equal(reply.error?.code, 429);
  assert.match(reply.error?.message ?? "", /^Rate limit exceeded: free-models-per-day\./);
  assert.deepEqual(reply.error?.metadata?.headers, {
    "X-RateLimit-Limit": "50",
    "X-RateLimit-Remaining": "0",
    "X-RateLimit-Reset": "1779321600000",
  });
  assert.equal(reply.error?.metadata?.provider_name, null);
  assert.equal(reply.provider, null);
});

Deno.test("sample: upstream 429 (JSON rebuilt from the Python repr's fields)", () => {
  const repr = readFixture("error-429-upstream-pyrepr-HacxGPT-CLI-issue31-2025-10-07.txt");
  // The repr has no `"` and no apostrophes inside strings, so swapping the quotes gives the
  // JSON that was on the wire (same keys, same values).
  assert.ok(!repr.includes('"'));
  const body = JSON.parse(repr.replaceAll("'", '"'));
  assert.equal(body.user_id, "user_33jF90V8MuPsx2czsN5fxAmwXnx");
  const reply = jsonReply(429, JSON.stringify(body));
  assert.equal(reply.failure, null);
  assert.equal(reply.error_in, "body");
  assert.equal(reply.error?.message, "Provider returned error");
  assert.equal(reply.error?.code, 429);
  assert.equal(reply.error?.metadata?.provider_name, "Chutes");
  assert.match(String(reply.error?.metadata?.raw), /temporarily rate-limited upstream/);
  assert.equal(reply.provider, "Chutes");

  // The repr text itself is not JSON: malformed, without crashing, status kept.
  const asRepr = jsonReply(429, repr);
  assert.equal(asRepr.failure?.kind, "malformed");
  assert.equal(asRepr.http_status, 429);
  assert.equal(asRepr.error, null);
});

Deno.test("sample: older /auth/key body → KeyInfo without the label", () => {
  const body = readJsonFixture("key-auth-key-docsrs-openrouter-crate-0.2.0.json");
  const info = parseKeyInfo(body);
  assert.deepEqual(info, {
    is_free_tier: false,
    limit: 5,
    limit_remaining: 4.8984355238,
    usage: 0.1015644762,
    usage_daily: null,
    rate_limit: { requests: 50, interval: "10s" },
    free_model_daily_requests: null,
  });
  assert.ok(!JSON.stringify(info).includes("sk-or"));
  assert.equal(parseKeyInfo({ nope: 1 }), null);
  assert.deepEqual(parseKeyInfo({ data: { limit: "x", is_free_tier: "yes" } }), {
    is_free_tier: null,
    limit: null,
    limit_remaining: null,
    usage: null,
    usage_daily: null,
    rate_limit: null,
    free_model_daily_requests: null,
  });
});

Deno.test("SSE parser: comments, reasoning not double-counted, error chunks, garbage", () => {
  const chunk = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
  const reasoning = parseChatStreamText(
    ": OPENROUTER PROCESSING\n\n" +
      chunk({
        choices: [{
          delta: {
            reasoning: "abcd",
            reasoning_details: [{ type: "reasoning.text", text: "abcd" }],
          },
        }],
      }) +
      chunk({ choices: [{ delta: { reasoning_content: "xy" } }] }) +
      chunk({
        choices: [{ delta: { reasoning_details: [{ type: "reasoning.summary", summary: "s" }] } }],
      }) +
      chunk({ choices: [{ delta: { content: "Hi" }, finish_reason: "stop" }] }) +
      chunk({
        choices: [],
        usage: { completion_tokens: 7, completion_tokens_details: { reasoning_tokens: 5 } },
      }) +
      "data: [DONE]\n\n",
  );
  assert.equal(reasoning.reasoning_chars, 4 + 2 + 1);
  assert.equal(reasoning.text, "Hi");
  assert.equal(reasoning.completion_tokens, 7);
  assert.equal(reasoning.reasoning_tokens, 5);
  assert.equal(reasoning.failure, null);

  const errored = parseChatStreamText(
    chunk({ provider: "X", choices: [{ delta: { content: "par" } }] }) +
      chunk({
        error: { code: "server_error", message: "Provider disconnected" },
        choices: [{ delta: { content: "" }, finish_reason: "error" }],
      }),
  );
  assert.equal(errored.error_in, "stream");
  assert.deepEqual(errored.error, {
    message: "Provider disconnected",
    code: "server_error",
    metadata: null,
  });
  assert.equal(errored.finish_reason, "error");
  assert.equal(errored.text, "par");
  assert.equal(errored.failure, null, "an error chunk is the outcome, not a cut stream");

  const garbage = parseChatStreamText(
    chunk({ choices: [{ delta: { content: "a" } }] }) + "data: <html>\n\ndata: [DONE]\n\n",
  );
  assert.equal(garbage.failure?.kind, "malformed");
  assert.match(garbage.failure?.message ?? "", /not JSON/);
  assert.equal(garbage.text, "a");

  const notObject = parseChatStreamText("data: 42\n\n");
  assert.equal(notObject.failure?.kind, "malformed");

  const empty = parseChatStreamText("");
  assert.deepEqual(empty.failure, { kind: "malformed", message: "stream ended early" });
});

Deno.test("JSON body parser: choices, choice errors, odd bodies", () => {
  const ok = jsonReply(
    200,
    JSON.stringify({
      provider: "P",
      choices: [{
        message: {
          content: [{ type: "text", text: "O" }, { type: "text", text: "K" }],
          reasoning: "hmm",
        },
        finish_reason: "stop",
      }],
      usage: { completion_tokens: 2 },
    }),
  );
  assert.equal(ok.text, "OK");
  assert.equal(ok.reasoning_chars, 3);
  assert.equal(ok.provider, "P");

  const choiceError = jsonReply(
    200,
    JSON.stringify({
      choices: [{ message: { content: "" }, error: { code: 502, message: "upstream" } }],
    }),
  );
  assert.equal(choiceError.error_in, "choice");
  assert.equal(choiceError.error?.code, 502);

  assert.equal(jsonReply(200, "{}").failure?.kind, "malformed");
  assert.equal(jsonReply(200, "").failure?.kind, "malformed");
  assert.equal(jsonReply(200, "[1]").failure?.kind, "malformed");
  assert.equal(jsonReply(200, '{"choices":[').failure?.kind, "malformed");
  assert.equal(jsonReply(502, "<html>Bad gateway</html>").failure?.kind, "malformed");

  const noErrorObject = jsonReply(500, '{"detail":"oops"}');
  assert.equal(noErrorObject.failure, null);
  assert.equal(noErrorObject.error, null);

  const weirdError = jsonReply(
    400,
    JSON.stringify({
      error: { message: 5, code: { x: 1 }, metadata: { reasons: "r", headers: { a: 1, b: null } } },
    }),
  );
  assert.equal(weirdError.error?.message, "(no error message)");
  assert.equal(weirdError.error?.code, null);
  assert.deepEqual(weirdError.error?.metadata?.reasons, []);
  assert.deepEqual(weirdError.error?.metadata?.headers, { a: "1" });
});
