/** The router's pure parts: breakers, candidates, the traffic-first pacer. */
import assert from "node:assert/strict";
import { admit, CLOSED, recordFailure, recordSuccess } from "../../lib/router/breaker.ts";
import { chooseCandidates, type ModelFacts, needsOf } from "../../lib/router/candidates.ts";
import { prioritize } from "../../lib/router/priority.ts";
import { createPacer } from "../../lib/scan/pacer.ts";
import { createVirtualClock } from "../../lib/scan/clock.ts";
import { isRequestFault } from "../../lib/router/failover.ts";
import { emptyReply } from "../../lib/openrouter/chat_reply.ts";
import { classify } from "../../lib/scan/classify.ts";

const policy = { threshold: 3, coolDownMs: 1_000 };

Deno.test("breaker: open after 3 failures in a row, one trial after the cool-down, closed on success", () => {
  let s = CLOSED;
  s = recordFailure(s, policy, 0);
  s = recordFailure(s, policy, 0);
  assert.equal(s.phase, "closed");
  s = recordSuccess(s);
  assert.equal(s.failures, 0);
  for (let i = 0; i < 3; i++) s = recordFailure(s, policy, 100);
  assert.equal(s.phase, "open");
  assert.equal(admit(s, policy, 1_099).allowed, false);
  const trial = admit(s, policy, 1_100);
  assert.equal(trial.allowed, true);
  assert.equal(trial.next.phase, "half_open");
  assert.equal(admit(trial.next, policy, 1_200).allowed, false, "one trial at a time");
  assert.equal(recordFailure(trial.next, policy, 1_300).phase, "open");
  assert.equal(recordSuccess(trial.next).phase, "closed");
  // A trial whose outcome never came (the process died) is allowed again after a cool-down.
  assert.equal(admit(trial.next, policy, 2_100).allowed, true);
});

const facts = (id: string, over: Partial<ModelFacts> = {}): ModelFacts => ({
  id,
  context_length: 1_000,
  input_modalities: ["text"],
  supported_parameters: ["max_tokens"],
  is_router: false,
  ...over,
});
const catalog = new Map([
  ["a:free", facts("a:free")],
  ["t:free", facts("t:free", { supported_parameters: ["tools", "response_format"] })],
  ["v:free", facts("v:free", { input_modalities: ["text", "image"], context_length: 100_000 })],
  ["openrouter/free", facts("openrouter/free", { is_router: true })],
]);
const msg = (content: unknown) => [{ role: "user", content }];

Deno.test("candidates: ranked first, then the rest; filtered by tools, structured output, images, context", () => {
  const ids = (body: Record<string, unknown>) => {
    const c = chooseCandidates(body, catalog, ["v:free", "a:free"]);
    return c.kind === "ok" ? c.ids : c.code;
  };
  assert.deepEqual(ids({ model: "scouter/free", messages: msg("hi") }), [
    "v:free",
    "a:free",
    "t:free",
  ]);
  assert.deepEqual(ids({ model: "scouter/free", messages: msg("hi"), tools: [{}] }), ["t:free"]);
  assert.deepEqual(
    ids({ model: "scouter/free", messages: msg("hi"), response_format: { type: "json_object" } }),
    ["t:free"],
  );
  const image = [{ type: "text", text: "what is this" }, { type: "image_url", image_url: {} }];
  assert.deepEqual(ids({ model: "scouter/free", messages: msg(image) }), ["v:free"]);
  assert.deepEqual(ids({ model: "scouter/free", messages: msg("x".repeat(8_000)) }), ["v:free"]);
  assert.deepEqual(ids({ model: "a:free", messages: msg("hi") }), ["a:free", "v:free", "t:free"]);
  assert.deepEqual(ids({ models: ["t:free", "a:free"], messages: msg("hi") }), [
    "t:free",
    "a:free",
  ]);
  assert.equal(ids({ model: "openai/gpt-4o", messages: msg("hi") }), "model_not_free");
  assert.equal(ids({ messages: msg("hi") }), "missing_model");
  assert.equal(needsOf({ messages: msg("abcdefgh") }).promptTokens, 2);
});

Deno.test("pacer: routed traffic is served before probes already waiting", async () => {
  const clock = createVirtualClock(0);
  const shared = createPacer({ rpm: 1_000, delayMs: 10, clock });
  const { traffic, probes } = prioritize(shared);
  const order: string[] = [];
  const all = [
    probes.acquire().then(() => order.push("probe 1")),
    probes.acquire().then(() => order.push("probe 2")),
    traffic.acquire().then(() => order.push("traffic")),
  ];
  await Promise.all(all);
  assert.deepEqual(order, ["probe 1", "traffic", "probe 2"]);
  assert.equal(shared.granted.length, 3);
});

Deno.test("pacer: the quota reserve holds probes back, not routed traffic (the user's own use)", async () => {
  const clock = createVirtualClock(Date.UTC(2026, 11, 7, 12));
  const shared = createPacer({ rpm: 100, delayMs: 0, clock });
  shared.quota.record({ limit: 50, remaining: 3, used: 47 }, clock.now());
  shared.quota.setReserve(2);
  const { traffic, probes } = prioritize(shared);
  assert.equal(await probes.acquire(), true, "1 left after the reserve");
  assert.equal(await probes.acquire(), false, "the reserve is not the probes'");
  assert.equal(await traffic.acquire(), true);
  assert.equal(await traffic.acquire(), true);
  assert.equal(await traffic.acquire(), false, "the day's quota itself is spent");
  assert.equal(shared.quota.left(clock.now(), true), 0);
});

Deno.test("a 400 from OpenRouter itself is the request's fault; a provider's 400 is the model's", () => {
  const judged = (status: number, metadata: Record<string, unknown> | null) => {
    const reply = emptyReply();
    reply.http_status = status;
    reply.error = { message: "bad", code: status, metadata };
    return { kind: "judged" as const, reply, verdict: classify(reply, null, 0), errorBody: null };
  };
  assert.equal(isRequestFault(judged(400, null)), true);
  assert.equal(isRequestFault(judged(400, { provider_name: "Chutes", raw: "x" })), false);
  assert.equal(isRequestFault(judged(413, null)), true);
  assert.equal(isRequestFault(judged(503, null)), false);
});

Deno.test("/v1 off without a token: a 404 saying how to turn it on; a short token is a config error", async () => {
  const { createV1 } = await import("../../routes/v1/mod.ts");
  const { resolveConfig } = await import("../../lib/config/settings.ts");
  const app = createV1({ router: null, token: null, clientConcurrency: 1, corsOrigins: [] });
  const res = await app.request("/v1/chat/completions", { method: "POST", body: "{}" });
  assert.equal(res.status, 404);
  const body = await res.json();
  assert.equal(body.error.code, "router_disabled");
  assert.match(body.error.message, /OPENROUTER_SCOUT_ROUTER_TOKEN/);
  assert.throws(
    () => resolveConfig({ OPENROUTER_SCOUT_ROUTER_TOKEN: "short-secret" }),
    (e: Error) =>
      /OPENROUTER_SCOUT_ROUTER_TOKEN must be at least 16 characters/.test(e.message) &&
      !e.message.includes("short-secret"),
  );
});
