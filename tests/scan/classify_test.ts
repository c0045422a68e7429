import assert from "node:assert/strict";
import type { ChatReply, OpenRouterError } from "../../lib/openrouter/types.ts";
import { afterKeyRecheck, classify } from "../../lib/scan/classify.ts";

const FIXTURES = new URL("../fixtures/openrouter/", import.meta.url);
const NOW = Date.UTC(2026, 4, 20, 12);

function reply(over: Partial<ChatReply>): ChatReply {
  return {
    http_status: 200,
    headers: {},
    error: null,
    error_in: null,
    text: "",
    reasoning_chars: 0,
    finish_reason: "stop",
    provider: "Chutes",
    completion_tokens: 1,
    reasoning_tokens: null,
    ttft_ms: 100,
    latency_ms: 120,
    streamed: true,
    failure: null,
    ...over,
  };
}

async function errorFixture(name: string): Promise<OpenRouterError> {
  const body = JSON.parse(await Deno.readTextFile(new URL(name, FIXTURES)));
  return body.error;
}

Deno.test("answers: ok, wrong_answer, empty_response (reasoning-only included)", () => {
  assert.deepEqual(classify(reply({ text: "OK." }), "OK", NOW), {
    kind: "check",
    status: "ok",
    retryable: false,
    error: null,
    fault: null,
  });
  const wrong = classify(reply({ text: "Sure! OK" }), "OK", NOW);
  assert.equal(wrong.kind === "check" && wrong.status, "wrong_answer");
  const empty = classify(
    reply({ text: "", reasoning_chars: 400, finish_reason: "length" }),
    "OK",
    NOW,
  );
  assert.ok(empty.kind === "check" && empty.status === "empty_response" && !empty.retryable);
  assert.match(empty.error!, /reasoning only/);
});

Deno.test("the real per-day 429 body is an account limit with its reset time", async () => {
  const error = await errorFixture("error-429-free-models-per-day-2026-05.json");
  const verdict = classify(reply({ http_status: 429, error, error_in: "body" }), "OK", NOW);
  assert.equal(verdict.kind, "account_limit");
  assert.ok(verdict.kind === "account_limit");
  assert.equal(verdict.scope, "day");
  assert.equal(verdict.resetAt, 1779321600000);
});

Deno.test("a per-minute 429 is an account limit; Retry-After is used without a reset", () => {
  const error: OpenRouterError = {
    message: "Rate limit exceeded: free-models-per-min. ",
    code: 429,
    metadata: { headers: { "X-RateLimit-Limit": "20", "X-RateLimit-Remaining": "0" } },
  };
  const verdict = classify(
    reply({ http_status: 429, error, error_in: "body", headers: { "retry-after": "7" } }),
    "OK",
    NOW,
  );
  assert.deepEqual(verdict, {
    kind: "account_limit",
    scope: "minute",
    resetAt: NOW + 7000,
    limit: 20,
    error: error.message,
  });
});

Deno.test("the real upstream 429 (provider named) is the model's rate_limited, retryable", () => {
  // The sample is the Python repr printed by the openai SDK; these are its fields as JSON.
  const error: OpenRouterError = {
    message: "Provider returned error",
    code: 429,
    metadata: {
      raw:
        "deepseek/deepseek-chat-v3-0324:free is temporarily rate-limited upstream. Please retry shortly, or add your own key to accumulate your rate limits: https://openrouter.ai/settings/integrations",
      provider_name: "Chutes",
    },
  };
  const verdict = classify(reply({ http_status: 429, error, error_in: "body" }), "OK", NOW);
  assert.ok(verdict.kind === "check");
  assert.equal(verdict.status, "rate_limited");
  assert.equal(verdict.retryable, true);
  assert.match(verdict.error!, /Chutes/);
});

Deno.test("HTTP statuses map to one category each", () => {
  const cases: [number, string, boolean][] = [
    [404, "not_found", false],
    [400, "rejected", false],
    [403, "rejected", false],
    [413, "rejected", false],
    [422, "rejected", false],
    [408, "timeout", true],
    [500, "unavailable", true],
    [502, "unavailable", true],
    [503, "unavailable", true],
  ];
  for (const [http, status, retryable] of cases) {
    const v = classify(reply({ http_status: http, text: "" }), "OK", NOW);
    assert.ok(v.kind === "check", `${http}`);
    assert.equal(v.status, status, `${http}`);
    assert.equal(v.retryable, retryable, `${http}`);
  }
});

Deno.test("401 and 402 reject the key, not the model", () => {
  const auth = classify(reply({ http_status: 401 }), "OK", NOW);
  const pay = classify(reply({ http_status: 402 }), "OK", NOW);
  assert.ok(auth.kind === "key_rejected" && auth.reason === "auth");
  assert.ok(pay.kind === "key_rejected" && pay.reason === "payment");
});

Deno.test("errors inside a 200: mid-stream and choices[0].error", () => {
  const error: OpenRouterError = { message: "Upstream died", code: 502, metadata: null };
  for (const where of ["stream", "choice"] as const) {
    const v = classify(reply({ error, error_in: where, text: "O" }), "OK", NOW);
    assert.ok(v.kind === "check" && v.status === "unavailable" && v.retryable, where);
  }
  const limited = classify(
    reply({ error: { message: "rate limited", code: 429, metadata: null }, error_in: "stream" }),
    "OK",
    NOW,
  );
  assert.ok(limited.kind === "check" && limited.status === "rate_limited");
});

Deno.test("transport failures: timeout, network_error, invalid_response", () => {
  const t = classify(
    reply({ http_status: null, failure: { kind: "timeout", message: "timed out" } }),
    "OK",
    NOW,
  );
  const n = classify(
    reply({ http_status: null, failure: { kind: "network", message: "reset" } }),
    "OK",
    NOW,
  );
  const m = classify(
    reply({ failure: { kind: "malformed", message: "stream ended early" }, text: "OK" }),
    "OK",
    NOW,
  );
  assert.ok(t.kind === "check" && t.status === "timeout" && t.retryable);
  assert.ok(n.kind === "check" && n.status === "network_error" && n.retryable);
  assert.ok(m.kind === "check" && m.status === "invalid_response" && !m.retryable);
});

Deno.test("limit_source decides the 429: shared capacity is the model's, the account's pause", () => {
  const shared = (metadata: OpenRouterError["metadata"], message = "Rate limited") =>
    classify(
      reply({ http_status: 429, error: { message, code: 429, metadata }, error_in: "body" }),
      "OK",
      NOW,
    );
  const headers = { "X-RateLimit-Limit": "15", "X-RateLimit-Remaining": "0" };
  const bySource = shared({ limit_source: "openrouter_shared_capacity", headers });
  assert.ok(bySource.kind === "check" && bySource.status === "rate_limited");
  assert.equal(bySource.fault, "shared_capacity");
  assert.equal(bySource.retryable, false);
  // Without limit_source, the message says it (it carries X-RateLimit-* and no provider).
  const byMessage = shared(
    { headers, provider_name: null },
    "High demand for x/y:free on OpenRouter – limited to 15 requests per minute.",
  );
  assert.ok(byMessage.kind === "check" && byMessage.fault === "shared_capacity");
  const day = shared({ limit_source: "openrouter_free_tier_daily", headers });
  assert.ok(day.kind === "account_limit" && day.scope === "day");
  const minute = shared({ limit_source: "free-models-per-min", headers });
  assert.ok(minute.kind === "account_limit" && minute.scope === "minute" && minute.limit === 15);
});

Deno.test("every failed verdict names who was at fault", () => {
  const fault = (over: Partial<ChatReply>) => {
    const v = classify(reply(over), "OK", NOW);
    return v.kind === "check" ? v.fault : v.kind;
  };
  const provider: OpenRouterError = {
    message: "Provider returned error",
    code: 502,
    metadata: { raw: "reset", provider_name: "Chutes" },
  };
  assert.equal(fault({ text: "OK" }), null);
  assert.equal(fault({ text: "nope" }), "model");
  assert.equal(fault({ http_status: 404 }), "model");
  assert.equal(fault({ http_status: 502, error: provider, error_in: "body" }), "upstream");
  assert.equal(fault({ http_status: 500 }), "openrouter");
  assert.equal(
    fault({ http_status: null, failure: { kind: "network", message: "refused" } }),
    "openrouter",
  );
  assert.equal(
    fault({ http_status: 429, error: { ...provider, code: 429 }, error_in: "body" }),
    "upstream",
  );
});

Deno.test("a 401 is the key's only when GET /key refuses it too", () => {
  const verdict = classify(reply({ http_status: 401 }), "OK", NOW);
  assert.ok(verdict.kind === "key_rejected");
  const outage = afterKeyRecheck(verdict, true);
  assert.ok(outage.kind === "check" && outage.status === "unavailable" && outage.retryable);
  assert.equal(outage.fault, "openrouter");
  assert.deepEqual(afterKeyRecheck(verdict, false), verdict);
  const payment = classify(reply({ http_status: 402 }), "OK", NOW);
  assert.ok(payment.kind === "key_rejected");
  assert.deepEqual(afterKeyRecheck(payment, true), payment, "402 is not OpenRouter's outage");
});
