/** The OpenRouter client against the fake OpenRouter: one test per behaviour, and more. */
import assert from "node:assert/strict";
import {
  createOpenRouterClient,
  type OpenRouterClient,
  type OpenRouterClientOptions,
} from "../../lib/openrouter/client.ts";
import { freeModels } from "../../lib/openrouter/catalog.ts";
import { CatalogError, KeyInfoError } from "../../lib/openrouter/errors.ts";
import type { ChatReply } from "../../lib/openrouter/types.ts";
import { SCOUTER_VERSION } from "../../lib/version.ts";
import {
  type Behavior,
  type FakeModelSpec,
  type FakeOpenRouter,
  type FakeOpenRouterOptions,
  startFakeOpenRouter,
} from "../fake_openrouter.ts";
import { readJsonFixture } from "./_fixtures.ts";

const KEY = "sk-or-v1-5c0u7e2-te57k3y-not-a-real-key-0123456789ab";
const MODEL = "fake/model-a:free";
/** 2026-05-20T12:34:56.789Z: a fixed clock for the fake, so reset headers are exact. */
const T0 = Date.UTC(2026, 4, 20, 12, 34, 56, 789);
const PROMPT = "Respond with the exact text: OK";

async function withFake(
  fakeOpts: Partial<FakeOpenRouterOptions> & { models: FakeModelSpec[] },
  fn: (fake: FakeOpenRouter, client: OpenRouterClient) => Promise<void>,
  clientOpts: Partial<OpenRouterClientOptions> = {},
): Promise<void> {
  const fake = await startFakeOpenRouter({ apiKey: KEY, now: () => T0, ...fakeOpts });
  try {
    const client = createOpenRouterClient({
      baseUrl: fake.url,
      apiKey: KEY,
      httpReferer: "https://scouter.example",
      xTitle: "Scouter tests",
      ...clientOpts,
    });
    await fn(fake, client);
  } finally {
    await fake.close();
  }
}

/** One chat attempt against a model whose first attempt does `behavior`. */
async function chatOnce(
  behavior: Behavior,
  spec: Partial<FakeModelSpec> = {},
  signal?: AbortSignal,
): Promise<ChatReply> {
  let reply: ChatReply | null = null;
  await withFake(
    { models: [{ id: MODEL, behaviors: [behavior], ...spec }] },
    async (_fake, client) => {
      reply = await client.chat({ model: MODEL, prompt: PROMPT, max_tokens: 32 }, signal);
    },
  );
  assert.ok(reply);
  return assertSane(reply);
}

/** Invariants of every reply. */
function assertSane(reply: ChatReply): ChatReply {
  assert.ok(reply.latency_ms >= 0);
  if (reply.ttft_ms !== null) assert.ok(reply.ttft_ms <= reply.latency_ms);
  assert.ok(!JSON.stringify(reply).includes(KEY), "the API key must never appear in a reply");
  if (reply.error !== null) assert.notEqual(reply.error_in, null);
  return reply;
}

const noFailure = (r: ChatReply) => {
  assert.equal(r.failure, null, JSON.stringify(r.failure));
  assert.equal(r.error, null);
  assert.equal(r.error_in, null);
};

// ------------------------------------------------------------------ answers

Deno.test("chat ok: streamed answer, provider, tokens, ttft", async () => {
  const r = await chatOnce("ok");
  noFailure(r);
  assert.equal(r.http_status, 200);
  assert.equal(r.text, "OK");
  assert.equal(r.finish_reason, "stop");
  assert.equal(r.provider, "Chutes");
  assert.equal(r.streamed, true);
  assert.equal(r.completion_tokens, 1);
  assert.equal(r.reasoning_tokens, 0);
  assert.equal(r.reasoning_chars, 0);
  assert.notEqual(r.ttft_ms, null);
  assert.deepEqual(r.headers, {});
});

Deno.test("chat ok with reasoning first: reasoning counted once, not in the text", async () => {
  const r = await chatOnce("ok", { reasoningText: "The user wants OK. ", provider: "DeepInfra" });
  noFailure(r);
  assert.equal(r.text, "OK");
  assert.equal(r.reasoning_chars, "The user wants OK. ".length);
  assert.equal(r.reasoning_tokens, 5);
  assert.equal(r.provider, "DeepInfra");
});

Deno.test("chat wrong_answer", async () => {
  const r = await chatOnce("wrong_answer");
  noFailure(r);
  assert.equal(r.http_status, 200);
  assert.equal(r.text, "I can't help with that.");
  assert.equal(r.finish_reason, "stop");
});

Deno.test("chat empty", async () => {
  const r = await chatOnce("empty");
  noFailure(r);
  assert.equal(r.text, "");
  assert.equal(r.finish_reason, "stop");
  assert.equal(r.ttft_ms, null);
  assert.equal(r.completion_tokens, 0);
});

Deno.test("chat reasoning_only: no text, reasoning counted, cut by length", async () => {
  const r = await chatOnce("reasoning_only");
  noFailure(r);
  assert.equal(r.text, "");
  assert.ok(r.reasoning_chars > 0);
  assert.equal(r.finish_reason, "length");
  assert.equal(r.reasoning_tokens, 32);
  assert.equal(r.completion_tokens, 32);
  assert.equal(r.ttft_ms, null);
});

Deno.test("chat nonstream_json: plain JSON although stream was asked", async () => {
  const r = await chatOnce("nonstream_json");
  noFailure(r);
  assert.equal(r.streamed, false);
  assert.equal(r.text, "OK");
  assert.equal(r.provider, "Chutes");
  assert.equal(r.completion_tokens, 1);
  assert.equal(r.finish_reason, "stop");
});

Deno.test("chat leading_whitespace_json", async () => {
  const r = await chatOnce("leading_whitespace_json", { answer: "Paris" });
  noFailure(r);
  assert.equal(r.streamed, false);
  assert.equal(r.text, "Paris");
});

// ------------------------------------------------------------------ HTTP errors

Deno.test("chat upstream_429: provider's 429 in the body, no account headers", async () => {
  const r = await chatOnce("upstream_429");
  assert.equal(r.http_status, 429);
  assert.equal(r.error_in, "body");
  assert.equal(r.error?.message, "Provider returned error");
  assert.equal(r.error?.code, 429);
  assert.equal(r.error?.metadata?.provider_name, "Chutes");
  assert.match(
    String(r.error?.metadata?.raw),
    new RegExp(`^${MODEL} is temporarily rate-limited upstream`),
  );
  assert.equal(r.provider, "Chutes");
  assert.deepEqual(r.headers, {});
  assert.equal(r.failure, null);
});

Deno.test("chat account_429_minute: per-min message, X-RateLimit-* and Retry-After", async () => {
  const r = await chatOnce("account_429_minute");
  const reset = String(Date.UTC(2026, 4, 20, 12, 35, 0, 0));
  assert.equal(r.http_status, 429);
  assert.equal(r.error_in, "body");
  assert.match(r.error?.message ?? "", /^Rate limit exceeded: free-models-per-min/);
  assert.deepEqual(r.headers, {
    "x-ratelimit-limit": "20",
    "x-ratelimit-remaining": "0",
    "x-ratelimit-reset": reset,
    "retry-after": "4",
  });
  assert.deepEqual(r.error?.metadata?.headers, {
    "X-RateLimit-Limit": "20",
    "X-RateLimit-Remaining": "0",
    "X-RateLimit-Reset": reset,
  });
  assert.equal(r.error?.metadata?.provider_name, null);
  assert.equal(r.provider, null);
});

Deno.test("chat account_429_day: the real per-day body and headers", async () => {
  const r = await chatOnce("account_429_day");
  const reset = String(Date.UTC(2026, 4, 21));
  assert.equal(r.http_status, 429);
  // Same shape as the real sample, field for field.
  const sample = readJsonFixture("error-429-free-models-per-day-2026-05.json") as {
    error: { message: string; metadata: { headers: Record<string, string> } };
  };
  assert.equal(r.error?.message, sample.error.message);
  assert.deepEqual(
    Object.keys(r.error?.metadata?.headers ?? {}),
    Object.keys(sample.error.metadata.headers),
  );
  assert.equal(r.error?.metadata?.headers?.["X-RateLimit-Reset"], reset);
  assert.deepEqual(r.headers, {
    "x-ratelimit-limit": "50",
    "x-ratelimit-remaining": "0",
    "x-ratelimit-reset": reset,
  });
});

const httpCases: [Behavior, number, RegExp][] = [
  ["http_500", 500, /Internal Server Error/],
  ["http_502", 502, /Provider returned error/],
  ["http_503", 503, /No allowed providers/],
  ["http_404", 404, new RegExp(`^No endpoints found for ${MODEL}\\.$`)],
  ["http_400", 400, /Provider returned error/],
  ["http_403_moderation", 403, /requires moderation/],
  ["http_413", 413, /Too Large/],
  ["http_408", 408, /timed out/],
  ["http_401", 401, /^User not found\.$/],
  ["http_402", 402, /^Insufficient credits/],
];
for (const [behavior, status, message] of httpCases) {
  Deno.test(`chat ${behavior}: HTTP ${status} with OpenRouter's error body`, async () => {
    const r = await chatOnce(behavior);
    assert.equal(r.http_status, status);
    assert.equal(r.error_in, "body");
    assert.equal(r.error?.code, status);
    assert.match(r.error?.message ?? "", message);
    assert.equal(r.failure, null);
    assert.equal(r.text, "");
    assert.equal(r.streamed, false);
    if (behavior === "http_403_moderation") {
      assert.deepEqual(r.error?.metadata?.reasons, ["harassment"]);
      assert.equal(r.error?.metadata?.flagged_input, PROMPT);
    }
    if (behavior === "http_502") assert.equal(r.provider, "Chutes");
  });
}

// ------------------------------------------------------------------ broken answers

Deno.test("chat error_chunk: error mid-stream, partial text kept", async () => {
  const r = await chatOnce("error_chunk");
  assert.equal(r.http_status, 200);
  assert.equal(r.error_in, "stream");
  assert.equal(r.error?.message, "Provider disconnected unexpectedly");
  assert.equal(r.error?.code, "server_error");
  assert.equal(r.finish_reason, "error");
  assert.equal(r.text, "O");
  assert.equal(r.failure, null);
  assert.equal(r.streamed, true);
});

Deno.test("chat choice_error_200: HTTP 200 whose choice carries an error", async () => {
  const r = await chatOnce("choice_error_200");
  assert.equal(r.http_status, 200);
  assert.equal(r.error_in, "choice");
  assert.equal(r.error?.code, 502);
  assert.equal(r.finish_reason, "error");
  assert.equal(r.text, "");
  assert.equal(r.failure, null);
});

Deno.test("chat malformed_json: cut JSON body", async () => {
  const r = await chatOnce("malformed_json");
  assert.equal(r.http_status, 200);
  assert.equal(r.failure?.kind, "malformed");
  assert.equal(r.error, null);
});

Deno.test("chat garbage_sse: HTML in a data line", async () => {
  const r = await chatOnce("garbage_sse");
  assert.equal(r.http_status, 200);
  assert.equal(r.failure?.kind, "malformed");
  assert.match(r.failure?.message ?? "", /not JSON/);
  assert.equal(r.streamed, true);
});

Deno.test("chat truncated_stream: ends without finish_reason or [DONE]", async () => {
  const r = await chatOnce("truncated_stream");
  assert.equal(r.http_status, 200);
  assert.deepEqual(r.failure, { kind: "malformed", message: "stream ended early" });
  assert.equal(r.text, "O");
});

Deno.test("chat reset_mid_stream: network failure, status and partial text kept", async () => {
  const r = await chatOnce("reset_mid_stream");
  assert.equal(r.http_status, 200);
  assert.equal(r.failure?.kind, "network");
  assert.equal(r.text, "O");
  assert.notEqual(r.ttft_ms, null);
});

// ------------------------------------------------------------------ time

Deno.test("chat hang: AbortSignal.timeout → timeout before headers", async () => {
  const started = performance.now();
  const r = await chatOnce("hang", {}, AbortSignal.timeout(150));
  assert.equal(r.failure?.kind, "timeout");
  assert.equal(r.failure?.message, "timed out");
  assert.equal(r.http_status, null);
  assert.ok(r.latency_ms >= 140, `latency ${r.latency_ms}`);
  assert.ok(performance.now() - started < 2000, "close() ends a hanging request quickly");
});

Deno.test("chat slow: answers within the timeout, ttft reflects the delay", async () => {
  const r = await chatOnce("slow", { chunkDelayMs: 80 }, AbortSignal.timeout(5000));
  noFailure(r);
  assert.equal(r.text, "OK");
  assert.ok(r.ttft_ms !== null && r.ttft_ms >= 70, `ttft ${r.ttft_ms}`);
});

Deno.test("chat slow: a timeout mid-body keeps the status", async () => {
  const r = await chatOnce("slow", { chunkDelayMs: 2000 }, AbortSignal.timeout(150));
  assert.equal(r.failure?.kind, "timeout");
  assert.equal(r.http_status, 200);
  assert.equal(r.text, "");
  assert.equal(r.streamed, true);
});

Deno.test("chat: delayMs delays the head; a manual abort is a timeout too", async () => {
  const ctrl = new AbortController();
  const pending = chatOnce("ok", { delayMs: 5000 }, ctrl.signal);
  setTimeout(() => ctrl.abort(new Error("shutdown")), 50);
  const r = await pending;
  assert.deepEqual(r.failure, { kind: "timeout", message: "aborted: shutdown" });
  assert.equal(r.http_status, null);
});

Deno.test("chat: connection refused is a network failure", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const client = createOpenRouterClient({
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    apiKey: KEY,
  });
  const r = assertSane(await client.chat({ model: MODEL, prompt: PROMPT, max_tokens: 8 }));
  assert.equal(r.failure?.kind, "network");
  assert.equal(r.http_status, null);
});

Deno.test("chat: an injected clock drives latency and ttft", async () => {
  let t = 1000;
  const r = await new Promise<ChatReply>((resolve, reject) => {
    withFake({ models: [{ id: MODEL }] }, async (_fake, client) => {
      resolve(await client.chat({ model: MODEL, prompt: PROMPT, max_tokens: 8 }));
    }, { now: () => (t += 10) }).catch(reject);
  });
  assert.ok(r.ttft_ms !== null && r.ttft_ms > 0 && r.ttft_ms % 10 === 0);
  assert.ok(r.latency_ms > r.ttft_ms);
});

// ------------------------------------------------------------------ the request itself

Deno.test("chat: headers and body sent", async () => {
  await withFake({ models: [{ id: MODEL }] }, async (fake, client) => {
    await client.chat({
      model: MODEL,
      prompt: PROMPT,
      max_tokens: 16,
      temperature: 0,
      reasoning: { effort: "low", exclude: true },
    });
    const [req] = fake.chatRequests();
    assert.equal(req.method, "POST");
    assert.equal(req.path, "/api/v1/chat/completions");
    assert.equal(req.headers["authorization"], `Bearer ${KEY}`);
    assert.equal(req.headers["http-referer"], "https://scouter.example");
    assert.equal(req.headers["x-title"], "Scouter tests");
    assert.equal(req.headers["content-type"], "application/json");
    assert.match(
      req.headers["user-agent"],
      new RegExp(`^Scouter/${SCOUTER_VERSION.replaceAll(".", "\\.")} `),
    );
    assert.deepEqual(req.body, {
      model: MODEL,
      messages: [{ role: "user", content: PROMPT }],
      stream: true,
      max_tokens: 16,
      usage: { include: true },
      temperature: 0,
      reasoning: { effort: "low", exclude: true },
    });
  });
});

Deno.test("chat: no key → no Authorization header; the fake answers 401", async () => {
  await withFake({ models: [{ id: MODEL }] }, async (fake, client) => {
    const r = assertSane(await client.chat({ model: MODEL, prompt: PROMPT, max_tokens: 8 }));
    assert.equal(r.http_status, 401);
    assert.equal(r.error?.message, "No auth credentials found");
    const [req] = fake.chatRequests();
    assert.equal(req.headers["authorization"], undefined);
    assert.equal(req.headers["http-referer"], undefined);
    assert.equal(req.headers["x-title"], undefined);
  }, { apiKey: null, httpReferer: null, xTitle: null });
});

Deno.test("chat: a wrong key is 401 User not found, and is not echoed", async () => {
  const wrong = "sk-or-v1-wrong-wrong-wrong-wrong";
  await withFake({ models: [{ id: MODEL }] }, async (_fake, client) => {
    const r = await client.chat({ model: MODEL, prompt: PROMPT, max_tokens: 8 });
    assert.equal(r.http_status, 401);
    assert.equal(r.error?.message, "User not found.");
    assert.ok(!JSON.stringify(r).includes(wrong));
  }, { apiKey: wrong });
});

Deno.test("chat: the API key is scrubbed even when a server echoes it", async () => {
  const echoing: typeof fetch = (_input, init) => {
    const auth = new Headers(init?.headers).get("authorization") ?? "";
    const body = JSON.stringify({
      error: { message: `bad key ${auth}`, code: 401, metadata: { raw: auth } },
    });
    return Promise.resolve(
      new Response(body, { status: 401, headers: { "content-type": "application/json" } }),
    );
  };
  const client = createOpenRouterClient({
    baseUrl: "http://openrouter.invalid/api/v1",
    apiKey: KEY,
    fetch: echoing,
  });
  const r = await client.chat({ model: MODEL, prompt: PROMPT, max_tokens: 8 });
  assert.equal(r.http_status, 401);
  assert.ok(!JSON.stringify(r).includes(KEY));
  assert.match(r.error?.message ?? "", /\[redacted\]/);

  const throwing: typeof fetch = () => Promise.reject(new TypeError(`cannot reach, key=${KEY}`));
  const r2 = await createOpenRouterClient({
    baseUrl: "http://x.invalid",
    apiKey: KEY,
    fetch: throwing,
  })
    .chat({ model: MODEL, prompt: PROMPT, max_tokens: 8 });
  assert.equal(r2.failure?.kind, "network");
  assert.ok(!JSON.stringify(r2).includes(KEY));
});

Deno.test("chat: every behaviour gives a reply without the key (none throws)", async () => {
  const behaviors: Behavior[] = [
    "ok",
    "empty",
    "upstream_429",
    "account_429_day",
    "http_500",
    "error_chunk",
    "choice_error_200",
    "malformed_json",
    "garbage_sse",
    "truncated_stream",
    "reset_mid_stream",
  ];
  await withFake({ models: [{ id: MODEL, behaviors }] }, async (fake, client) => {
    for (const b of behaviors) {
      const r = assertSane(await client.chat({ model: MODEL, prompt: PROMPT, max_tokens: 8 }));
      assert.ok(r.http_status !== null, b);
    }
    assert.equal(fake.attempts(MODEL), behaviors.length);
  });
});

// ------------------------------------------------------------------ catalog

const CATALOG_MODELS: FakeModelSpec[] = [
  { id: "b/beta:free", reasoning: { mandatory: true, supported_efforts: ["high"] } },
  { id: "a/alpha:free", input_modalities: ["text", "image"], expiration_date: "2026-06-01" },
  { id: "c/paid-model", free: false },
  { id: "d/zero-priced" },
];

function realEntry(file: string, id: string): unknown {
  const body = readJsonFixture(file) as { data: { id: string }[] };
  const entry = body.data.find((m) => m.id === id);
  assert.ok(entry, id);
  return entry;
}

Deno.test("listModels: {data} shape, all models normalised, real entries mixed in", async () => {
  const extra = [
    realEntry("models-anuran-roy-2026-08-19.json", "openrouter/auto"),
    realEntry("models-anuran-roy-2026-08-19.json", "openrouter/free"),
    { id: 12, broken: true },
  ];
  await withFake({ models: CATALOG_MODELS, extraCatalog: extra }, async (fake, client) => {
    const models = await client.listModels();
    assert.deepEqual(models.map((m) => m.id), [
      "b/beta:free",
      "a/alpha:free",
      "c/paid-model",
      "d/zero-priced",
      "openrouter/auto",
      "openrouter/free",
    ]);
    assert.deepEqual(freeModels(models).map((m) => m.id), [
      "b/beta:free",
      "a/alpha:free",
      "d/zero-priced",
      "openrouter/free",
    ]);
    const beta = models[0];
    assert.deepEqual(beta.reasoning, { mandatory: true, supported_efforts: ["high"] });
    assert.equal(models[1].expiration_date, "2026-06-01");
    assert.deepEqual(models[1].input_modalities, ["text", "image"]);
    assert.equal(models[5].is_router, true);
    const [req] = fake.requests;
    assert.equal(req.path, "/api/v1/models");
    assert.match(req.headers["user-agent"], /^Scouter\//);
    assert.equal(req.headers["authorization"], `Bearer ${KEY}`);
  });
});

Deno.test("listModels: paginated shape, links.next followed", async () => {
  const models: FakeModelSpec[] = Array.from({ length: 7 }, (_, i) => ({ id: `p/m${i}:free` }));
  await withFake({ models, catalogShape: "paginated", pageSize: 3 }, async (fake, client) => {
    const got = await client.listModels();
    assert.equal(got.length, 7);
    assert.deepEqual(fake.requests.map((r) => r.path), [
      "/api/v1/models",
      "/api/v1/models?cursor=3",
      "/api/v1/models?cursor=6",
    ]);
  });
  await withFake({ models, catalogShape: "paginated" }, async (fake, client) => {
    assert.equal((await client.listModels()).length, 7);
    assert.equal(fake.requests.length, 1);
  });
});

Deno.test("listModels: pagination is capped, same-origin only, loops end", async () => {
  const paged = (next: string | null) =>
    (() =>
      Promise.resolve(
        new Response(JSON.stringify({ data: [{ id: `x/${Math.random()}` }], links: { next } }), {
          status: 200,
        }),
      )) as typeof fetch;
  const base = "https://openrouter.test/api/v1";
  const capped = createOpenRouterClient({
    baseUrl: base,
    apiKey: KEY,
    fetch: paged("/api/v1/models?cursor=next"),
    maxCatalogPages: 3,
  });
  // The same next link twice ends pagination instead of looping.
  assert.equal((await capped.listModels()).length, 2);

  let n = 0;
  const endless = (() => {
    n++;
    return Promise.resolve(
      new Response(JSON.stringify({ data: [], links: { next: `/api/v1/models?cursor=${n}` } })),
    );
  }) as typeof fetch;
  await assert.rejects(
    createOpenRouterClient({ baseUrl: base, apiKey: KEY, fetch: endless, maxCatalogPages: 3 })
      .listModels(),
    (e: unknown) => e instanceof CatalogError && /more than 3 pages/.test(e.message),
  );
  await assert.rejects(
    createOpenRouterClient({ baseUrl: base, apiKey: KEY, fetch: paged("https://evil.test/steal") })
      .listModels(),
    (e: unknown) => e instanceof CatalogError && /another origin/.test(e.message),
  );
});

Deno.test("listModels failures: HTTP error, not JSON, no data, timeout, refused", async () => {
  const cases: [
    FakeOpenRouterOptions["catalogFailure"],
    CatalogError["kind"],
    number | null,
    RegExp,
  ][] = [
    ["http_500", "http", 500, /GET \/models: HTTP 500: Internal Server Error/],
    ["http_503", "http", 503, /HTTP 503$/],
    ["not_json", "malformed", 200, /not JSON/],
    ["no_data", "malformed", 200, /not a model catalog/],
  ];
  for (const [failure, kind, status, message] of cases) {
    await withFake({ models: CATALOG_MODELS, catalogFailure: failure }, async (_fake, client) => {
      const err = await client.listModels().then(() => null, (e: unknown) => e);
      assert.ok(err instanceof CatalogError, String(failure));
      assert.equal(err.kind, kind);
      assert.equal(err.status, status);
      assert.match(err.message, message);
      assert.ok(!err.message.includes(KEY));
    });
  }
  await withFake({ models: CATALOG_MODELS, catalogFailure: "hang" }, async (_fake, client) => {
    const err = await client.listModels(AbortSignal.timeout(100)).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof CatalogError);
    assert.equal(err.kind, "timeout");
    assert.match(err.message, /timed out/);
  });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const err = await createOpenRouterClient({
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    apiKey: KEY,
  })
    .listModels().then(() => null, (e: unknown) => e);
  assert.ok(err instanceof CatalogError);
  assert.equal(err.kind, "network");
});

// ------------------------------------------------------------------ key

Deno.test("getKey: normalised, label dropped", async () => {
  await withFake(
    { models: [], keyInfo: { usage_daily: 0.5, limit: 10, limit_remaining: 9.5 } },
    async (fake, client) => {
      const info = await client.getKey();
      assert.deepEqual(info, {
        is_free_tier: true,
        limit: 10,
        limit_remaining: 9.5,
        usage: 0,
        usage_daily: 0.5,
        rate_limit: null,
        free_model_daily_requests: null,
      });
      assert.equal(fake.requests[0].path, "/api/v1/key");
      assert.ok(!JSON.stringify(info).includes(KEY.slice(0, 12)));
    },
  );
});

Deno.test("getKey: 401 keeps the status; other failures are clear", async () => {
  await withFake({ models: [] }, async (_fake, client) => {
    const err = await client.getKey().then(() => null, (e: unknown) => e);
    assert.ok(err instanceof KeyInfoError);
    assert.equal(err.status, 401);
    assert.equal(err.kind, "http");
    assert.equal(err.error?.message, "User not found.");
    assert.ok(!err.message.includes("sk-or-v1-nope"));
  }, { apiKey: "sk-or-v1-nope-nope-nope" });
  await withFake({ models: [], keyFailure: "http_500" }, async (_fake, client) => {
    const err = await client.getKey().then(() => null, (e: unknown) => e);
    assert.ok(err instanceof KeyInfoError);
    assert.equal(err.status, 500);
  });
  await withFake({ models: [], keyFailure: "not_json" }, async (_fake, client) => {
    const err = await client.getKey().then(() => null, (e: unknown) => e);
    assert.ok(err instanceof KeyInfoError);
    assert.equal(err.kind, "malformed");
  });
});
