/**
 * Web benchmark: a database filled by real scans of the fake OpenRouter (`--models` models,
 * `--scans` scans), the real server (`main.ts serve`) in its own process, and a plain HTTP
 * client timing `/`, `/models/{id}` and the API one request at a time: p50/p95/p99, requests/s,
 * a revalidation's p50 (If-None-Match → 304), errors and non-2xx answers, and the body in each
 * encoding, per path, then the verdict of issue 13's latency goal (p99 ≤ 100 ms, no error, no
 * non-2xx; one client at a time says nothing of 1,000 req/s: `deno task load` measures that
 * under 50 concurrent connections with wrk). Prints figures; asserts nothing.
 *
 *   deno task bench:web [--models 30] [--scans 5] [--requests 200]
 */
import { parseArgs } from "node:util";
import { percentile } from "../lib/stats/health.ts";
import { gzipSync } from "node:zlib";
import { runCli } from "../tests/cli/run_cli.ts";
import { startServer } from "../tests/cli/server_process.ts";
import { startFakeOpenRouter } from "../tests/fake_openrouter.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    models: { type: "string", default: "30" },
    scans: { type: "string", default: "5" },
    requests: { type: "string", default: "200" },
  },
});
const key = "sk-or-v1-bench";
const models = Array.from({ length: Number(values.models) }, (_, i) => ({
  id: `bench/model-${i}:free`,
  behaviors: i % 7 === 0 ? ["http_503" as const] : ["ok" as const],
}));
const fake = await startFakeOpenRouter({ models, apiKey: key });
const dir = await Deno.makeTempDir({ prefix: "scouter-webbench-" });
const env = {
  OPENROUTER_API_KEY: key,
  OPENROUTER_BASE_URL: fake.url,
  OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS: "0",
  // The fake has no per-minute limit; pacing at OpenRouter's 20 would make this take minutes.
  OPENROUTER_SCOUT_RPM: "100000",
  OPENROUTER_SCOUT_MAX_RETRIES: "0",
  OPENROUTER_SCOUT_CONCURRENCY: "8",
  OPENROUTER_SCOUT_SCAN_ON_START: "false",
};
const scan = await runCli(["scan", "--repeat-count", values.scans!], env, dir);
if (scan.code !== 0) throw new Error(`the scans failed:\n${scan.stderr}`);

const server = await startServer({ entry: "main.ts", args: ["serve"], cwd: dir, env });
const base = server.base;

console.log(
  `${values.models} models, ${values.scans} scans, ${values.requests} sequential requests each`,
);
const paths = [
  "/",
  `/models/${models[1].id}`,
  "/runs",
  "/api/summary",
  "/api/models",
  `/api/models/${models[1].id}/history`,
];
// Per path: sequential requests (all but the first served from the response cache), the
// same with If-None-Match (304s), and the body's size in each encoding.
console.log(
  `${"path".padEnd(40)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"p99".padStart(8)} ${
    "req/s".padStart(6)
  } ${"304 p50".padStart(8)} ${"errors".padStart(6)} ${
    "non2xx".padStart(6)
  }  p99 goal  bytes: identity / gzip / br`,
);
const timed = async (path: string, headers: Record<string, string>) => {
  const times: number[] = [];
  let errors = 0, non2xx = 0;
  const started = performance.now();
  for (let i = 0; i < Number(values.requests); i++) {
    const t = performance.now();
    try {
      const res = await fetch(base + path, { headers });
      await res.arrayBuffer();
      if (res.status < 200 || res.status >= 400) non2xx++; // a 304 is the answer asked for
    } catch {
      errors++;
    }
    times.push(performance.now() - t);
  }
  const perSecond = Math.round(times.length / ((performance.now() - started) / 1000));
  times.sort((a, b) => a - b);
  const q = (p: number) => (percentile(times, p * 100) ?? NaN).toFixed(1);
  return { q, perSecond, errors, non2xx, met: Number(q(0.99)) <= 100 && errors + non2xx === 0 };
};
// fetch decodes bodies: the size on the wire is the Content-Length the server sent.
const size = async (path: string, encoding: string) => {
  const res = await fetch(base + path, { headers: { "accept-encoding": encoding } });
  await res.arrayBuffer();
  return Number(res.headers.get("content-length") ?? NaN);
};
for (const path of paths) {
  const browser = { "accept-encoding": "gzip, deflate, br" };
  const plain = await timed(path, browser);
  const etag = (await fetch(base + path, { headers: browser })).headers.get("etag") ?? "";
  const revalidated = await timed(path, { ...browser, "if-none-match": etag });
  const sizes = [await size(path, "identity"), await size(path, "gzip"), await size(path, "br")];
  console.log(
    `${path.padEnd(40)} ${`${plain.q(0.5)} ms`.padStart(8)} ${`${plain.q(0.95)} ms`.padStart(8)} ${
      `${plain.q(0.99)} ms`.padStart(8)
    } ${String(plain.perSecond).padStart(6)} ${`${revalidated.q(0.5)} ms`.padStart(8)} ${
      String(plain.errors + revalidated.errors).padStart(6)
    } ${String(plain.non2xx + revalidated.non2xx).padStart(6)}  ${
      (plain.met && revalidated.met ? "met" : "NOT met").padEnd(8)
    }  ${sizes.join(" / ")}${etag ? "" : "  (no ETag)"}`,
  );
}

// The weight of `/`: HTML, and the CSS and JS it loads (ECharts is loaded lazily after hydration).
const html = await (await fetch(`${base}/`)).text();
const assets = [...html.matchAll(/(?:href|src)="(\/static\/build\/[^"]+)"/g)].map((m) => m[1]);
const weigh = (bytes: Uint8Array) => `${bytes.length} B raw, ${gzipSync(bytes).length} B gzip`;
console.log(`weight of /: HTML ${weigh(new TextEncoder().encode(html))}`);
let css = 0, cssGz = 0, js = 0, jsGz = 0;
for (const asset of new Set(assets)) {
  const bytes = new Uint8Array(
    await (await fetch(base + asset, { headers: { "accept-encoding": "identity" } })).arrayBuffer(),
  );
  if (asset.endsWith(".css")) [css, cssGz] = [css + bytes.length, cssGz + gzipSync(bytes).length];
  if (asset.endsWith(".js")) [js, jsGz] = [js + bytes.length, jsGz + gzipSync(bytes).length];
}
console.log(`  CSS ${css} B raw, ${cssGz} B gzip; JS (linked) ${js} B raw, ${jsGz} B gzip`);

await server.stop();
await fake.close();
await Deno.remove(dir, { recursive: true });
