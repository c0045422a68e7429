/** The fake OpenRouter itself: limits, scripts, raw wire format, shutdown, scale. */
import assert from "node:assert/strict";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import { ALL_BEHAVIORS, type FakeModelSpec, startFakeOpenRouter } from "../fake_openrouter.ts";

const KEY = "sk-or-v1-fake-test-key-0123456789";
const auth = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };

function chatBody(model: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    model,
    messages: [{ role: "user", content: "Respond with the exact text: OK" }],
    stream: true,
    max_tokens: 16,
    ...extra,
  });
}

Deno.test("fake: raw SSE wire format looks like OpenRouter's", async () => {
  const fake = await startFakeOpenRouter({
    models: [{ id: "m/a:free", provider: "Fireworks" }],
    apiKey: KEY,
  });
  try {
    const res = await fetch(`${fake.url}/chat/completions`, {
      method: "POST",
      headers: auth,
      body: chatBody("m/a:free"),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    const text = await res.text();
    assert.ok(text.startsWith(": OPENROUTER PROCESSING\n\n"));
    assert.ok(text.endsWith("data: [DONE]\n\n"));
    const chunks = text.split("\n\n").filter((l) => l.startsWith("data: {")).map((l) =>
      JSON.parse(l.slice(6))
    );
    for (const c of chunks) {
      assert.equal(c.object, "chat.completion.chunk");
      assert.equal(c.provider, "Fireworks");
      assert.equal(c.model, "m/a:free");
      assert.match(c.id, /^gen-\d+-/);
      assert.deepEqual(Object.keys(c.choices[0]), [
        "index",
        "delta",
        "finish_reason",
        "native_finish_reason",
        "logprobs",
      ]);
    }
    // The usage chunk comes after the finish chunk, with non-empty choices and no finish_reason.
    const finishAt = chunks.findIndex((c) => c.choices[0].finish_reason === "stop");
    const usageAt = chunks.findIndex((c) => c.usage);
    assert.equal(usageAt, finishAt + 1);
    assert.equal(chunks[usageAt].choices[0].finish_reason, null);
    assert.equal(chunks.map((c) => c.choices[0].delta.content).join(""), "OK");
  } finally {
    await fake.close();
  }
});

Deno.test("fake: stream:false gets a chat.completion JSON body", async () => {
  const fake = await startFakeOpenRouter({ models: [{ id: "m/a:free", answer: "Hello" }] });
  try {
    const res = await fetch(`${fake.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: chatBody("m/a:free", { stream: false }),
    });
    const body = await res.json();
    assert.equal(body.object, "chat.completion");
    assert.equal(body.choices[0].message.content, "Hello");
  } finally {
    await fake.close();
  }
});

Deno.test("fake: request validation, unknown model, unknown path", async () => {
  const fake = await startFakeOpenRouter({ models: [{ id: "m/a:free" }] });
  try {
    const post = (body: string) =>
      fetch(`${fake.url}/chat/completions`, { method: "POST", body }).then(async (
        r,
      ) => [r.status, (await r.json()).error.message]);
    assert.deepEqual(await post("{not json"), [400, "Invalid JSON body"]);
    assert.deepEqual(await post("{}"), [400, "No model provided"]);
    assert.deepEqual(await post(chatBody("nope/x:free")), [
      400,
      "nope/x:free is not a valid model ID",
    ]);
    const res = await fetch(`${fake.url}/nothing`);
    assert.equal(res.status, 404);
    await res.body?.cancel();
    assert.equal(fake.attempts("m/a:free"), 0);
  } finally {
    await fake.close();
  }
});

Deno.test("fake: behaviours are scripted per attempt, the last one repeats", async () => {
  const fake = await startFakeOpenRouter({
    models: [{ id: "m/a:free", behaviors: ["http_502", "upstream_429", "ok"] }],
  });
  const client = createOpenRouterClient({ baseUrl: fake.url, apiKey: null });
  try {
    const statuses: (number | null)[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await client.chat({ model: "m/a:free", prompt: "hi", max_tokens: 8 })).http_status,
      );
    }
    assert.deepEqual(statuses, [502, 429, 200, 200, 200]);
    assert.equal(fake.attempts("m/a:free"), 5);
    fake.setModels([{ id: "m/a:free", behaviors: ["http_404"] }, { id: "m/b:free" }]);
    assert.equal(
      (await client.chat({ model: "m/a:free", prompt: "hi", max_tokens: 8 })).http_status,
      404,
    );
    assert.equal(
      (await client.chat({ model: "m/b:free", prompt: "hi", max_tokens: 8 })).text,
      "OK",
    );
  } finally {
    await fake.close();
  }
});

Deno.test("fake: per-minute account limit on a driven clock; failed requests count", async () => {
  let t = Date.UTC(2026, 0, 1, 10, 0, 0);
  const fake = await startFakeOpenRouter({
    models: [{ id: "m/ok:free" }, { id: "m/bad:free", behaviors: ["http_500"] }],
    rpmLimit: 3,
    now: () => t,
  });
  const client = createOpenRouterClient({ baseUrl: fake.url, apiKey: null });
  const chat = (model: string) => client.chat({ model, prompt: "hi", max_tokens: 8 });
  try {
    assert.equal((await chat("m/bad:free")).http_status, 500);
    t += 10_000;
    assert.equal((await chat("m/bad:free")).http_status, 500);
    assert.equal((await chat("m/ok:free")).http_status, 200);
    const limited = await chat("m/ok:free");
    assert.equal(limited.http_status, 429);
    assert.equal(limited.error?.message, "Rate limit exceeded: free-models-per-min. ");
    // The window opened at the first (failed) request: reset 60 s after it.
    assert.equal(limited.headers["x-ratelimit-reset"], String(Date.UTC(2026, 0, 1, 10, 1, 0)));
    assert.equal(limited.headers["x-ratelimit-limit"], "3");
    assert.equal(limited.headers["retry-after"], "50");
    assert.equal(fake.attempts("m/ok:free"), 1, "a limited request never reaches the model");
    t += 50_000; // the first request leaves the window
    assert.equal((await chat("m/ok:free")).http_status, 200);
    assert.equal((await chat("m/ok:free")).http_status, 429);
    fake.resetLimits();
    assert.equal((await chat("m/ok:free")).http_status, 200);
  } finally {
    await fake.close();
  }
});

Deno.test("fake: per-day account limit resets at UTC midnight", async () => {
  let t = Date.UTC(2026, 4, 20, 23, 59, 0);
  const fake = await startFakeOpenRouter({
    models: [{ id: "m/ok:free" }, { id: "m/bad:free", behaviors: ["reset_mid_stream"] }],
    dailyLimit: 2,
    now: () => t,
  });
  const client = createOpenRouterClient({ baseUrl: fake.url, apiKey: null });
  const chat = (model: string) => client.chat({ model, prompt: "hi", max_tokens: 8 });
  try {
    assert.equal((await chat("m/bad:free")).failure?.kind, "network");
    assert.equal((await chat("m/ok:free")).http_status, 200);
    const limited = await chat("m/ok:free");
    assert.equal(limited.http_status, 429);
    assert.match(limited.error?.message ?? "", /^Rate limit exceeded: free-models-per-day\./);
    assert.deepEqual(limited.headers, {
      "x-ratelimit-limit": "2",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(Date.UTC(2026, 4, 21)),
    });
    t = Date.UTC(2026, 4, 21, 0, 0, 1);
    assert.equal((await chat("m/ok:free")).http_status, 200);
    fake.configure({ dailyLimit: null });
    assert.equal((await chat("m/ok:free")).http_status, 200);
  } finally {
    await fake.close();
  }
});

Deno.test("fake: close() ends hanging and slow requests at once", async () => {
  const fake = await startFakeOpenRouter({
    models: [
      { id: "m/hang:free", behaviors: ["hang"] },
      { id: "m/slow:free", behaviors: ["slow"], chunkDelayMs: 60_000 },
      { id: "m/late:free", delayMs: 60_000 },
    ],
    catalogFailure: "hang",
  });
  const client = createOpenRouterClient({ baseUrl: fake.url, apiKey: null });
  const pending = [
    client.chat({ model: "m/hang:free", prompt: "hi", max_tokens: 8 }),
    client.chat({ model: "m/slow:free", prompt: "hi", max_tokens: 8 }),
    client.chat({ model: "m/late:free", prompt: "hi", max_tokens: 8 }),
    client.listModels().catch((e: unknown) => e),
  ];
  await new Promise((r) => setTimeout(r, 100));
  const started = performance.now();
  await fake.close();
  await Promise.all(pending);
  assert.ok(performance.now() - started < 1000, "close() must not wait for the scripted delays");
  await fake.close(); // idempotent
});

Deno.test("fake: every behaviour answers (and the list is complete)", async () => {
  assert.equal(new Set(ALL_BEHAVIORS).size, 29);
  // These two never finish by design (the client must time out or notice the stall).
  const endless = new Set(["hang", "stall"]);
  const models: FakeModelSpec[] = ALL_BEHAVIORS.filter((b) => !endless.has(b)).map((b) => ({
    id: `b/${b}:free`,
    behaviors: [b],
    chunkDelayMs: 1,
  }));
  const fake = await startFakeOpenRouter({ models });
  const client = createOpenRouterClient({ baseUrl: fake.url, apiKey: null });
  try {
    for (const m of models) {
      const r = await client.chat(
        { model: m.id, prompt: "hi", max_tokens: 8 },
        AbortSignal.timeout(5000),
      );
      assert.notEqual(r.failure?.kind, "timeout", m.id);
    }
  } finally {
    await fake.close();
  }
});

Deno.test("fake: 1,000 models at zero latency, catalog and one chat each, quickly", async () => {
  const models: FakeModelSpec[] = Array.from({ length: 1000 }, (_, i) => ({
    id: `scale/model-${String(i).padStart(4, "0")}:free`,
    behaviors: i % 10 === 0 ? ["http_502"] : ["ok"],
  }));
  const fake = await startFakeOpenRouter({
    models,
    apiKey: KEY,
    catalogShape: "paginated",
    pageSize: 400,
  });
  const client = createOpenRouterClient({ baseUrl: fake.url, apiKey: KEY });
  try {
    const started = performance.now();
    const catalog = await client.listModels();
    assert.equal(catalog.length, 1000);
    const queue = catalog.map((m) => m.id);
    let ok = 0;
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const r = await client.chat({
          model: id,
          prompt: "Respond with the exact text: OK",
          max_tokens: 8,
        });
        if (r.text === "OK") ok++;
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const elapsed = performance.now() - started;
    assert.equal(ok, 900);
    assert.equal(fake.chatRequests().length, 1000);
    assert.ok(elapsed < 10_000, `1,000 chats took ${elapsed.toFixed(0)} ms`);
  } finally {
    await fake.close();
  }
});
