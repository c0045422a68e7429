/** The router end to end: the official openai client against /v1, the fake OpenRouter behind. */
import assert from "node:assert/strict";
import { API_KEY, startWorld, TOKEN } from "./world.ts";
import type { FakeModelSpec } from "../fake_openrouter.ts";

const TOOLS = ["max_tokens", "temperature", "tools", "tool_choice"];

const healthy: FakeModelSpec[] = [
  { id: "a/fast:free", behaviors: ["ok"], answer: "Hello from a" },
  { id: "b/slow:free", behaviors: ["ok"], answer: "Hello from b" },
];
const healthyHistory = [
  { model: "a/fast:free", n: 20, status: "ok" as const, latencyMs: 400 },
  { model: "b/slow:free", n: 20, status: "ok" as const, latencyMs: 900 },
];

Deno.test("openai client, not streaming: the best-ranked free model answers, named in model and headers", async () => {
  const w = await startWorld({ models: healthy, history: healthyHistory });
  try {
    const { data, response } = await w.openai.chat.completions.create({
      model: "scouter/free",
      messages: [{ role: "user", content: "Say hello" }],
      temperature: 0,
      max_tokens: 32,
    }).withResponse();
    assert.equal(data.choices[0].message.content, "Hello from a");
    assert.equal(data.model, "a/fast:free");
    assert.equal(response.headers.get("x-scouter-model"), "a/fast:free");
    assert.equal(response.headers.get("x-scouter-attempts"), "1");
    assert.equal(response.headers.get("x-scouter-route"), "a/fast:free=ok");
    // The client's parameters reach OpenRouter; the router's token does not, the key does.
    const sent = w.fake.chatRequests().at(-1)!;
    const body = sent.body as Record<string, unknown>;
    assert.equal(body.model, "a/fast:free");
    assert.equal(body.max_tokens, 32);
    assert.equal(sent.headers.authorization, `Bearer ${API_KEY}`);
  } finally {
    await w.close();
  }
});

Deno.test("openai client, streaming: chunks in OpenAI's shape, failover before the first byte", async () => {
  const w = await startWorld({
    models: [
      { id: "a/fast:free", behaviors: ["upstream_429"] },
      { id: "b/slow:free", behaviors: ["ok"], answer: "streamed answer here" },
    ],
    history: healthyHistory,
  });
  try {
    const { data: stream, response } = await w.openai.chat.completions.create({
      model: "scouter/free",
      messages: [{ role: "user", content: "Stream please" }],
      stream: true,
      stream_options: { include_usage: true },
    }).withResponse();
    let text = "";
    let model = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      model = chunk.model;
    }
    assert.equal(text, "streamed answer here");
    assert.equal(model, "b/slow:free");
    assert.equal(
      response.headers.get("x-scouter-route"),
      "a/fast:free=upstream_429,b/slow:free=ok",
    );
    assert.equal(response.headers.get("x-scouter-attempts"), "2");
    assert.equal(w.fake.attempts("a/fast:free"), 1);
  } finally {
    await w.close();
  }
});

Deno.test("tools go only to models that support them; tool calls come back, streamed and not", async () => {
  const w = await startWorld({
    models: [
      { id: "a/fast:free", answer: "no tools here" },
      { id: "t/tools:free", supported_parameters: TOOLS, callsTools: true },
    ],
    history: [
      { model: "a/fast:free", n: 20, status: "ok", latencyMs: 300 },
      { model: "t/tools:free", n: 20, status: "ok", latencyMs: 900 },
    ],
  });
  const tools = [{
    type: "function" as const,
    function: {
      name: "get_weather",
      description: "The weather in a city",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  }];
  try {
    const plain = await w.openai.chat.completions.create({
      model: "scouter/free",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools,
      tool_choice: "auto",
    });
    const call = plain.choices[0].message.tool_calls?.[0];
    assert.equal(call?.type === "function" ? call.function.name : null, "get_weather");
    assert.equal(plain.model, "t/tools:free");
    assert.equal(plain.choices[0].finish_reason, "tool_calls");

    const stream = await w.openai.chat.completions.create({
      model: "scouter/free",
      messages: [{ role: "user", content: "Weather in Rome?" }],
      tools,
      stream: true,
    });
    let name = "";
    let args = "";
    for await (const chunk of stream) {
      const d = chunk.choices[0]?.delta?.tool_calls?.[0];
      name += d?.function?.name ?? "";
      args += d?.function?.arguments ?? "";
    }
    assert.equal(name, "get_weather");
    assert.equal(args, "{}");
    assert.equal(w.fake.attempts("a/fast:free"), 0);
    const sent = w.fake.chatRequests().at(-1)!.body as Record<string, unknown>;
    assert.deepEqual(sent.tools, tools);
  } finally {
    await w.close();
  }
});

Deno.test("a concrete free id is tried first, a models list in order; a paid model is a 400", async () => {
  const w = await startWorld({ models: healthy, history: healthyHistory });
  try {
    const direct = await w.openai.chat.completions.create({
      model: "b/slow:free",
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(direct.model, "b/slow:free");
    const res = await fetch(`${w.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({
        models: ["b/slow:free", "a/fast:free"],
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-scouter-model"), "b/slow:free");
    await res.body?.cancel();
    await assert.rejects(
      w.openai.chat.completions.create({
        model: "openai/gpt-4o",
        messages: [{ role: "user", content: "hi" }],
      }),
      (e: { status?: number; code?: string }) => e.status === 400 && e.code === "model_not_free",
    );
    assert.equal(w.fake.chatRequests().length, 2);
  } finally {
    await w.close();
  }
});

Deno.test("GET /v1/models: OpenAI's list shape, scouter/free first, routers left out", async () => {
  const w = await startWorld({
    models: [...healthy, { id: "openrouter/free", router: true }],
    history: healthyHistory,
  });
  try {
    const ids: string[] = [];
    for await (const m of w.openai.models.list()) {
      assert.equal(m.object, "model");
      ids.push(m.id);
    }
    assert.deepEqual(ids, ["scouter/free", "a/fast:free", "b/slow:free"]);
  } finally {
    await w.close();
  }
});

Deno.test("every routed attempt is a traffic check, without the prompt or the answer", async () => {
  const w = await startWorld({
    models: [
      { id: "a/fast:free", behaviors: ["http_502"] },
      { id: "b/slow:free", answer: "the-secret-answer-73" },
    ],
    history: healthyHistory,
  });
  try {
    await w.openai.chat.completions.create({
      model: "scouter/free",
      messages: [{ role: "user", content: "the-secret-prompt-41" }],
    });
    await w.router.flush();
    const rs = await w.store.client.execute(
      "SELECT model_id, status, answer, latency_ms, ttft_ms, provider, fault FROM checks WHERE source = 'traffic' ORDER BY id",
    );
    assert.deepEqual(rs.rows.map((r) => [r.model_id, r.status, r.answer]), [
      ["a/fast:free", "unavailable", null],
      ["b/slow:free", "ok", null],
    ]);
    assert.ok(Number(rs.rows[1].latency_ms) >= 0 && rs.rows[1].ttft_ms !== null);
    assert.equal(rs.rows[1].provider, "Chutes");
    // The classifier's blame, as for probes: the provider's 502 is upstream's; ok has none.
    assert.deepEqual(rs.rows.map((r) => r.fault), ["upstream", null]);
    const dump = await w.store.client.execute(
      "SELECT COUNT(*) AS n FROM checks WHERE error LIKE '%secret%' OR answer LIKE '%secret%'",
    );
    assert.equal(Number(dump.rows[0].n), 0);
  } finally {
    await w.close();
  }
});

Deno.test("a model failing 3 times in a row is skipped, and stays skipped after a restart", async () => {
  const models: FakeModelSpec[] = [
    { id: "a/fast:free", behaviors: ["http_503"] },
    { id: "b/slow:free", behaviors: ["ok"] },
  ];
  const w = await startWorld({ models, history: healthyHistory });
  try {
    // Asked for by name, so that the ranking (which learns from traffic too) keeps it first.
    for (let i = 0; i < 5; i++) {
      await w.openai.chat.completions.create({
        model: "a/fast:free",
        messages: [{ role: "user", content: "hi" }],
      });
    }
    assert.equal(w.fake.attempts("a/fast:free"), 3);
    assert.equal(w.router.stats().per_model["a/fast:free"].breaker, "open");
    await w.router.flush();
    const again = await startWorld({ models, store: w.store });
    try {
      const { response } = await again.openai.chat.completions.create({
        model: "a/fast:free",
        messages: [{ role: "user", content: "hi" }],
      }).withResponse();
      assert.equal(response.headers.get("x-scouter-route"), "b/slow:free=ok");
      assert.equal(again.fake.attempts("a/fast:free"), 0);
    } finally {
      await again.close();
    }
  } finally {
    await w.close();
  }
});

Deno.test("no first token within the deadline, an empty answer, an error before content: failover", async () => {
  const w = await startWorld({
    models: [
      { id: "a/fast:free", behaviors: ["hang"] },
      { id: "b/slow:free", behaviors: ["empty"] },
      { id: "c/third:free", behaviors: ["garbage_sse"] },
      { id: "d/fourth:free", answer: "finally" },
    ],
    history: [
      ...healthyHistory,
      { model: "c/third:free", n: 20, status: "ok", latencyMs: 1000 },
      { model: "d/fourth:free", n: 20, status: "ok", latencyMs: 1100 },
    ],
    maxAttempts: 4,
    firstTokenMs: 200,
  });
  try {
    const { data, response } = await w.openai.chat.completions.create({
      model: "scouter/free",
      messages: [{ role: "user", content: "hi" }],
    }).withResponse();
    assert.equal(data.choices[0].message.content, "finally");
    assert.equal(
      response.headers.get("x-scouter-route"),
      "a/fast:free=timeout,b/slow:free=empty_response,c/third:free=invalid_response,d/fourth:free=ok",
    );
  } finally {
    await w.close();
  }
});

Deno.test("the daily quota gone: 429 with Retry-After until UTC midnight, no failover, no check", async () => {
  const w = await startWorld({
    models: [{ id: "a/fast:free", behaviors: ["account_429_day"] }, { id: "b/slow:free" }],
    history: healthyHistory,
  });
  try {
    const res = await fetch(`${w.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "scouter/free", messages: [{ role: "user", content: "hi" }] }),
    });
    assert.equal(res.status, 429);
    const body = await res.json();
    assert.equal(body.error.code, "account_daily_limit");
    assert.match(body.error.message, /UTC midnight/);
    const retry = Number(res.headers.get("retry-after"));
    const d = new Date();
    const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
    assert.ok(Math.abs(retry - (midnight - Date.now()) / 1000) < 5, `Retry-After ${retry}`);
    assert.equal(w.fake.attempts("b/slow:free"), 0);
    await w.router.flush();
    const n = await w.store.client.execute(
      "SELECT COUNT(*) AS n FROM checks WHERE source = 'traffic'",
    );
    assert.equal(Number(n.rows[0].n), 0);
  } finally {
    await w.close();
  }
});

Deno.test("bad input: no token 401, malformed JSON, missing messages, too large", async () => {
  const w = await startWorld({ models: healthy, history: healthyHistory });
  const post = (body: string, auth = `Bearer ${TOKEN}`) =>
    fetch(`${w.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body,
    });
  try {
    const cases: [Response, number, string][] = [
      [await post("{}", "Bearer wrong-token-wrong-token"), 401, "invalid_api_key"],
      [await post("{not json"), 400, "invalid_json"],
      [await post(JSON.stringify({ model: "scouter/free" })), 400, "missing_messages"],
      [await post("x".repeat(5 * 1024 * 1024)), 413, "body_too_large"],
    ];
    for (const [res, status, code] of cases) {
      assert.equal(res.status, status);
      assert.equal((await res.json()).error.code, code);
      assert.equal(res.headers.get("cache-control"), "no-store");
    }
    assert.equal(w.fake.chatRequests().length, 0);
  } finally {
    await w.close();
  }
});
