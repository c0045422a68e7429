/**
 * The fake OpenRouter (tests/fake_openrouter.ts) in a process of its own, so that a benchmark
 * times the scan alone and not a fake sharing its CPU time in the same event loop.
 *
 *   deno run -A bench/fake_openrouter_process.ts --models 1000 --api-key sk-… [--rpm-limit N]
 *
 * Prints one JSON line `{"url": …}` once it listens; when its stdin closes it prints
 * `{"chat_at": [epoch ms, …]}` (when each chat request arrived) and exits.
 */
import { parseArgs } from "node:util";
import { startFakeOpenRouter } from "../tests/fake_openrouter.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    models: { type: "string", default: "1000" },
    "api-key": { type: "string" },
    "endpoints-delay-ms": { type: "string", default: "0" },
  },
});
const count = Number(values.models);
const fake = await startFakeOpenRouter({
  models: Array.from({ length: count }, (_, i) => ({ id: `bench/model-${i}:free` })),
  apiKey: values["api-key"] ?? null,
  endpointsDelayMs: Number(values["endpoints-delay-ms"]),
});
console.log(JSON.stringify({ url: fake.url }));
// Runs until the parent closes our stdin (or goes away).
for await (const _ of Deno.stdin.readable) {
  // input is ignored
}
console.log(JSON.stringify({ chat_at: fake.chatRequests().map((r) => r.at) }));
await fake.close();
