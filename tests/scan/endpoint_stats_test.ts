import assert from "node:assert/strict";
import { lastEndpointFetchTimes, latestEndpointFetches } from "../../lib/db/endpoint_stats.ts";
import { createEndpointsFetcher } from "../../lib/openrouter/endpoints.ts";
import type { Clock } from "../../lib/scan/clock.ts";
import {
  createEndpointStatsJob,
  dueModels,
  endpointStatsIntervalMs,
  type EndpointStatsOptions,
  refreshEndpointStats,
} from "../../lib/scan/endpoint_stats.ts";
import { scanWorld, TEST_KEY } from "./helpers.ts";

const HOUR = 3_600_000;

/** A clock the test moves by hand. */
function manualClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    sleep: () => Promise.resolve(),
    advance: (ms) => void (t += ms),
  };
}

type World = Awaited<ReturnType<typeof scanWorld>>;

function optionsFor(w: World, clock: Clock, over: Partial<EndpointStatsOptions> = {}) {
  return {
    fetcher: createEndpointsFetcher({ baseUrl: w.fake.url, apiKey: TEST_KEY }),
    store: w.store,
    clock,
    intervalMs: HOUR,
    timeoutMs: 1_000,
    log: (m: string) => w.logs.push(m),
    ...over,
  };
}

const endpointCalls = (w: World) =>
  w.fake.requests.filter((r) => r.path.endsWith("/endpoints")).length;

Deno.test("a refresh reads each due model once, stores what it read, counts failures in one line", async () => {
  await using w = await scanWorld([
    { id: "a/one:free", endpoints: [{ provider_name: "Chutes", uptime_last_30m: 97.25 }] },
    { id: "b/two:free", endpoints: [] },
    { id: "c/broken:free", endpoints: "http_500" },
    { id: "d/slow:free", endpoints: "hang" },
  ]);
  const clock = manualClock();
  const ids = ["a/one:free", "b/two:free", "c/broken:free", "d/slow:free", "a/one:free"];
  const report = await refreshEndpointStats(
    optionsFor(w, clock, { timeoutMs: 300 }),
    ids,
    new AbortController().signal,
    null,
  );
  assert.deepEqual(report, { due: 4, stored: 2, failed: 2 });
  assert.equal(endpointCalls(w), 4, "one read per model, duplicates asked once");
  assert.equal(w.fake.chatRequests().length, 0, "no chat request, no quota spent");

  const stored = await latestEndpointFetches(w.store.client);
  assert.deepEqual(stored.map((f) => [f.model_id, f.endpoints.length, f.fetched_at]), [
    ["a/one:free", 1, clock.now()],
    ["b/two:free", 0, clock.now()],
  ]);
  assert.equal(stored[0].endpoints[0].uptime_30m, 97.25);
  const lines = w.logs.filter((l) => l.startsWith("OpenRouter's endpoint stats"));
  assert.equal(lines.length, 1, w.logs.join("\n"));
  assert.match(lines[0], /2 of 4 due model\(s\) read, 2 failed/);
});

Deno.test("stats are read at most once per interval per model", async () => {
  await using w = await scanWorld([{ id: "a/one:free" }, { id: "b/two:free" }]);
  const clock = manualClock();
  const opts = optionsFor(w, clock);
  const signal = new AbortController().signal;
  const ids = ["a/one:free", "b/two:free"];

  assert.equal((await refreshEndpointStats(opts, ids, signal)).stored, 2);
  clock.advance(HOUR / 2);
  assert.deepEqual(await refreshEndpointStats(opts, ids, signal), { due: 0, stored: 0, failed: 0 });
  assert.equal(endpointCalls(w), 2, "half an hour later nothing was due");

  // A model new to the list is due at once; the others are not.
  assert.equal((await refreshEndpointStats(opts, [...ids, "c/new:free"], signal)).due, 1);

  clock.advance(HOUR / 2);
  assert.equal((await refreshEndpointStats(opts, ids, signal)).stored, 2, "an hour on: due");
  const last = await lastEndpointFetchTimes(w.store.client, ids);
  assert.deepEqual([...last.values()], [clock.now(), clock.now()]);
});

Deno.test("due: never read first, then the longest unread; an hourly scan's refresh keeps its hour", () => {
  const now = 10 * HOUR;
  const last = new Map([["old", now - 3 * HOUR], ["older", now - 5 * HOUR], [
    "fresh",
    now - 60_000,
  ]]);
  assert.deepEqual(dueModels(["fresh", "old", "never", "older"], last, now, HOUR), [
    "never",
    "older",
    "old",
  ]);
  // Read 20 s after one hourly scan, asked again at the next one: a few seconds short.
  assert.deepEqual(dueModels(["m"], new Map([["m", now - HOUR + 20_000]]), now, HOUR), ["m"]);
  // But not half an hour early, and never with the setting at 0.
  assert.deepEqual(dueModels(["m"], new Map([["m", now - HOUR / 2]]), now, HOUR), []);
  assert.deepEqual(dueModels(["never"], new Map(), now, 0), []);
  assert.equal(endpointStatsIntervalMs(0), 0);
  assert.equal(endpointStatsIntervalMs(1.5), 1.5 * HOUR);
});

Deno.test("interval 0: the job never reads anything", async () => {
  await using w = await scanWorld([{ id: "a/one:free" }]);
  const job = createEndpointStatsJob(optionsFor(w, manualClock(), { intervalMs: 0 }));
  job.kick(["a/one:free"], null);
  await job.idle();
  await job.stop(1_000);
  assert.equal(endpointCalls(w), 0);
  assert.deepEqual(await latestEndpointFetches(w.store.client), []);
});

Deno.test("the job runs in the background: kick returns at once, stop cuts a slow server short and keeps what was read", async () => {
  await using w = await scanWorld(
    Array.from({ length: 20 }, (_, i) => ({ id: `m/model-${i}:free` })),
    { endpointsDelayMs: 150 },
  );
  const clock = manualClock();
  const job = createEndpointStatsJob(optionsFor(w, clock, { concurrency: 4, timeoutMs: 5_000 }));
  const ids = Array.from({ length: 20 }, (_, i) => `m/model-${i}:free`);
  const t0 = performance.now();
  job.kick(ids, null);
  assert.ok(performance.now() - t0 < 50, "kick does not wait for the reads");
  await job.stop(400);
  const took = performance.now() - t0;
  assert.ok(took < 2_500, `stopped after the grace, not after every read (${took} ms)`);
  const stored = await latestEndpointFetches(w.store.client);
  assert.ok(stored.length >= 1 && stored.length < 20, `kept the ${stored.length} read in time`);
  assert.ok(w.logs.some((l) => /left for the next time/.test(l)), w.logs.join("\n"));
  job.kick(ids, null);
  await job.idle();
  assert.equal(
    (await latestEndpointFetches(w.store.client)).length,
    stored.length,
    "a stopped job takes no more work",
  );
});

Deno.test("kicks while a refresh runs are read after it, each model once", async () => {
  await using w = await scanWorld(
    [{ id: "a/one:free" }, { id: "b/two:free" }, { id: "c/three:free" }],
    { endpointsDelayMs: 30 },
  );
  const job = createEndpointStatsJob(optionsFor(w, manualClock()));
  job.kick(["a/one:free", "b/two:free"], null);
  job.kick(["b/two:free", "c/three:free"], null);
  await job.idle();
  await job.stop();
  assert.equal(endpointCalls(w), 3);
  const stored = await latestEndpointFetches(w.store.client);
  assert.deepEqual(stored.map((f) => f.model_id), ["a/one:free", "b/two:free", "c/three:free"]);
});
