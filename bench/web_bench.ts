/**
 * Web benchmark: a database filled by real scans of the fake OpenRouter (`--models` models,
 * `--scans` scans), the real server (`main.ts serve`) in its own process, and a plain HTTP
 * client timing `/`, `/models/{id}` and the API. Prints figures; asserts nothing.
 *
 *   deno task bench:web [--models 30] [--scans 5] [--requests 200]
 */
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { MAIN, RUN_FLAGS } from "../tests/cli/run_cli.ts";
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
  PATH: Deno.env.get("PATH") ?? "",
  NO_COLOR: "1",
  OPENROUTER_API_KEY: key,
  OPENROUTER_BASE_URL: fake.url,
  OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS: "0",
  OPENROUTER_SCOUT_MAX_RETRIES: "0",
  OPENROUTER_SCOUT_CONCURRENCY: "8",
  OPENROUTER_SCOUT_SCAN_ON_START: "false",
};
const scan = await new Deno.Command(Deno.execPath(), {
  args: [...RUN_FLAGS, MAIN, "scan", "--repeat-count", values.scans!],
  cwd: dir,
  env,
  clearEnv: true,
  stdout: "null",
  stderr: "null",
}).output();
if (!scan.success) throw new Error("the scans failed");

const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const port = (listener.addr as Deno.NetAddr).port;
listener.close();
const server = new Deno.Command(Deno.execPath(), {
  args: [...RUN_FLAGS, MAIN, "serve", "--host", "127.0.0.1", "--port", String(port)],
  cwd: dir,
  env,
  clearEnv: true,
  stdout: "null",
  stderr: "null",
}).spawn();
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 100; i++) {
  if (
    await fetch(`${base}/healthz`).then((r) => r.body?.cancel().then(() => r.ok)).catch(() => false)
  ) break;
  await new Promise((r) => setTimeout(r, 100));
}

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
for (const path of paths) {
  const times: number[] = [];
  for (let i = 0; i < Number(values.requests); i++) {
    const t = performance.now();
    const res = await fetch(base + path);
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) =>
    times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
  console.log(`${path.padEnd(40)} p50 ${q(0.5)} ms  p95 ${q(0.95)} ms  p99 ${q(0.99)} ms`);
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

server.kill("SIGTERM");
await server.status;
await fake.close();
await Deno.remove(dir, { recursive: true });
