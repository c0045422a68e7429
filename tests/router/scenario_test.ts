/**
 * The measured scenario of issue 11: 6 free models, 2 healthy, and the top-ranked one breaks
 * mid-run. 40 requests through the router, and the same 40 straight to `openrouter/free`
 * (which picks a free model at random, as the real one does).
 */
import assert from "node:assert/strict";
import OpenAI from "openai";
import { API_KEY, type SeedHistory, startWorld } from "./world.ts";
import { type FakeModelSpec, startFakeOpenRouter } from "../fake_openrouter.ts";
import { prng } from "../seed.ts";

const REQUESTS = 40;

const MODELS: FakeModelSpec[] = [
  // Top-ranked, then broken from its 11th request on.
  { id: "a/top:free", behaviors: [...Array(10).fill("ok"), "http_503"] },
  { id: "b/steady:free", behaviors: ["ok"] },
  { id: "c/limited:free", behaviors: ["upstream_429"] },
  { id: "d/down:free", behaviors: ["http_502"] },
  { id: "e/gone:free", behaviors: ["http_404"] },
  { id: "f/mute:free", behaviors: ["empty"] },
  { id: "openrouter/free", router: true },
];

const HISTORY: SeedHistory[] = [
  { model: "a/top:free", n: 24, status: "ok", latencyMs: 400 },
  { model: "b/steady:free", n: 24, status: "ok", latencyMs: 900 },
  { model: "c/limited:free", n: 6, status: "rate_limited" },
  { model: "d/down:free", n: 6, status: "unavailable" },
  { model: "e/gone:free", n: 6, status: "not_found" },
  { model: "f/mute:free", n: 6, status: "empty_response" },
];

async function ask(client: OpenAI, model: string, i: number): Promise<boolean> {
  const messages = [{ role: "user" as const, content: `Request ${i}: say something.` }];
  try {
    if (i % 2 === 0) {
      const r = await client.chat.completions.create({ model, messages });
      return (r.choices[0]?.message?.content ?? "") !== "";
    }
    let text = "";
    const stream = await client.chat.completions.create({ model, messages, stream: true });
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    return text !== "";
  } catch {
    return false;
  }
}

Deno.test("2 of 6 free models healthy, the top one breaking mid-run: the router answers ≥ 39 of 40, openrouter/free far fewer", async () => {
  const w = await startWorld({ models: MODELS, history: HISTORY });
  let routed = 0;
  try {
    for (let i = 0; i < REQUESTS; i++) if (await ask(w.openai, "scouter/free", i)) routed++;
  } finally {
    await w.close();
  }

  const fake = await startFakeOpenRouter({ models: MODELS, apiKey: API_KEY, random: prng(11) });
  let direct = 0;
  try {
    const client = new OpenAI({ baseURL: fake.url, apiKey: API_KEY, maxRetries: 0 });
    for (let i = 0; i < REQUESTS; i++) if (await ask(client, "openrouter/free", i)) direct++;
  } finally {
    await fake.close();
  }

  console.log(
    `answered: router ${routed}/${REQUESTS} (goal ≥ 39), openrouter/free ${direct}/${REQUESTS} (≤ 20)`,
  );
  assert.ok(routed >= 39, `router answered ${routed}/${REQUESTS}`);
  assert.ok(direct <= 20, `openrouter/free answered ${direct}/${REQUESTS}`);
});
