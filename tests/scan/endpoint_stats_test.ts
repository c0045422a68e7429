import assert from "node:assert/strict";
import { latestEndpointFetches } from "../../lib/db/endpoint_stats.ts";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import { withEndpointStats } from "../../lib/openrouter/endpoints.ts";
import { createPacer } from "../../lib/scan/pacer.ts";
import { systemClock } from "../../lib/scan/clock.ts";
import { scanWorld, TEST_KEY } from "./helpers.ts";

Deno.test("each scan reads OpenRouter's stats once per model, outside the chat pacer", async () => {
  await using w = await scanWorld([
    { id: "a/one:free", endpoints: [{ provider_name: "Chutes", uptime_last_30m: 97.25 }] },
    { id: "b/two:free", behaviors: ["http_404"], endpoints: [] },
    { id: "c/broken:free", endpoints: "http_500" },
    { id: "d/slow:free", endpoints: "hang" },
  ]);
  const opts = { baseUrl: w.fake.url, apiKey: TEST_KEY };
  const openrouter = withEndpointStats(createOpenRouterClient(opts), opts);
  const pacer = createPacer({ rpm: 1000, delayMs: 0, clock: systemClock });
  const outcome = await w.scan({ timeoutSeconds: 1, maxRetries: 0 }, { openrouter, pacer });
  assert.equal(outcome.status, "completed");

  const endpointCalls = w.fake.requests.filter((r) => r.path.endsWith("/endpoints"));
  assert.equal(endpointCalls.length, 4, "one read per model");
  assert.equal(w.fake.chatRequests().length, 4, "no chat request spent on them");
  assert.equal(pacer.granted.length, 4, "the pacer saw the chat requests only");

  const stored = await latestEndpointFetches(w.store.client);
  assert.deepEqual(stored.map((f) => [f.model_id, f.endpoints.length, f.run_id]), [
    ["a/one:free", 1, outcome.run_id],
    ["b/two:free", 0, outcome.run_id],
  ]);
  assert.equal(stored[0].endpoints[0].uptime_30m, 97.25);
  assert.deepEqual(stored[0].endpoints[0].latency_ms, { p50: 400, p75: 600, p90: 900, p99: 2000 });
  const line = w.logs.filter((l) => l.startsWith("OpenRouter's endpoint stats"));
  assert.equal(line.length, 1, w.logs.join("\n"));
  assert.match(line[0], /2 model\(s\) read, 2 failed/);
});

Deno.test("without getEndpoints the scan is unchanged", async () => {
  await using w = await scanWorld([{ id: "a/one:free" }]);
  const outcome = await w.scan();
  assert.equal(outcome.status, "completed");
  assert.equal(w.fake.requests.filter((r) => r.path.endsWith("/endpoints")).length, 0);
  assert.deepEqual(await latestEndpointFetches(w.store.client), []);
});
