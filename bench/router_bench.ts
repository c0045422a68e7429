/**
 * deno task bench:router — what the router adds. Against the fake OpenRouter on loopback:
 * the same streamed chat request straight to the fake and through /v1 (interleaved, full
 * body read), the router's added latency at p50/p99; then 200 concurrent routed streams,
 * which must all end with [DONE].
 *
 *   deno task bench:router [--requests N] [--streams N]
 */
import { percentile } from "../lib/stats/health.ts";
import { API_KEY, startWorld, TOKEN } from "../tests/router/world.ts";

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(Deno.args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) {
    console.error(`--${name} takes a whole number above 0`);
    Deno.exit(2);
  }
  return v;
}

const REQUESTS = flag("requests", 500);
const STREAMS = flag("streams", 200);
const MODEL = "bench/model:free";

const world = await startWorld({
  models: [{ id: MODEL, answer: "The quick brown fox jumps over the lazy dog." }],
  history: [{ model: MODEL, n: 24, status: "ok", latencyMs: 500 }],
  clientConcurrency: STREAMS * 2,
  viewTtlMs: 5_000, // the server's default
});

async function timed(url: string, key: string, model: string): Promise<number> {
  const start = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "hi" }] }),
  });
  const text = await res.text();
  if (res.status !== 200 || !text.includes("[DONE]")) throw new Error(`HTTP ${res.status}`);
  return performance.now() - start;
}

try {
  const direct: number[] = [];
  const routed: number[] = [];
  const fakeUrl = `${world.fake.url}/chat/completions`;
  const routerUrl = `${world.baseUrl}/chat/completions`;
  for (let i = 0; i < 50; i++) { // warm-up: JIT, connections, the router's first ranking
    await timed(fakeUrl, API_KEY, MODEL);
    await timed(routerUrl, TOKEN, "scouter/free");
  }
  for (let i = 0; i < REQUESTS; i++) {
    direct.push(await timed(fakeUrl, API_KEY, MODEL));
    routed.push(await timed(routerUrl, TOKEN, "scouter/free"));
  }
  const q = (xs: number[], p: number) => percentile([...xs].sort((a, b) => a - b), p) ?? NaN;
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  console.log(`${REQUESTS} streamed requests each way, sequential, full body read:`);
  console.log(`  direct to the fake   p50 ${ms(q(direct, 50))}  p99 ${ms(q(direct, 99))}`);
  console.log(`  through the router   p50 ${ms(q(routed, 50))}  p99 ${ms(q(routed, 99))}`);
  console.log(
    `  added by the router  p50 ${ms(q(routed, 50) - q(direct, 50))}  p99 ${
      ms(q(routed, 99) - q(direct, 99))
    }  (goal p50 ≤ 2 ms)`,
  );

  const start = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: STREAMS }, () => timed(routerUrl, TOKEN, "scouter/free")),
  );
  const failed = results.filter((r) => r.status === "rejected").length;
  const wall = performance.now() - start;
  const times = results.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
  console.log(
    `${STREAMS} concurrent routed streams: ${failed} errors, all done in ${ms(wall)} ` +
      `(p50 ${ms(q(times, 50))}, p99 ${ms(q(times, 99))})`,
  );
  if (failed > 0) Deno.exitCode = 1;
} finally {
  await world.close();
}
