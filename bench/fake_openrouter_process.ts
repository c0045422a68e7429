/**
 * The fake OpenRouter (tests/fake_openrouter.ts) in a process of its own, so that a benchmark
 * times the scan alone and not a fake sharing its CPU time in the same event loop.
 *
 *   deno run -A bench/fake_openrouter_process.ts --models 1000 --api-key sk-…
 *     [--account-limit N --account-window-ms W]   # the account's N chat requests per W ms
 *
 * Prints one JSON line `{"url": …}` once it listens; when its stdin closes it prints
 * `{"chat_at": [epoch ms, …], "account_429s": n}` (when each chat request arrived; how many
 * the account limit refused) and exits.
 */
import { parseArgs } from "node:util";
import { startFakeOpenRouter } from "../tests/fake_openrouter.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    models: { type: "string", default: "1000" },
    "api-key": { type: "string" },
    "endpoints-delay-ms": { type: "string", default: "0" },
    "account-limit": { type: "string" },
    "account-window-ms": { type: "string", default: "60000" },
    /** Each model's delay before its answer (a real free model takes about a second). */
    "model-delay-ms": { type: "string", default: "0" },
  },
});
const accountLimit = values["account-limit"] === undefined ? null : Number(values["account-limit"]);
const count = Number(values.models);
const fake = await startFakeOpenRouter({
  models: Array.from({ length: count }, (_, i) => ({
    id: `bench/model-${i}:free`,
    delayMs: Number(values["model-delay-ms"]),
  })),
  apiKey: values["api-key"] ?? null,
  endpointsDelayMs: Number(values["endpoints-delay-ms"]),
  accountWindow: accountLimit === null
    ? null
    : { limit: accountLimit, windowMs: Number(values["account-window-ms"]) },
});
console.log(JSON.stringify({ url: fake.url }));
// Runs until the parent closes our stdin (or goes away).
for await (const _ of Deno.stdin.readable) {
  // input is ignored
}
const chats = fake.chatRequests();
const reached = Array.from({ length: count }, (_, i) => fake.attempts(`bench/model-${i}:free`))
  .reduce((a, b) => a + b, 0);
console.log(
  JSON.stringify({ chat_at: chats.map((r) => r.at), account_429s: chats.length - reached }),
);
await fake.close();
