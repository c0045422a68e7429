/**
 * Load under a running scan, measured with wrk: the real server (`main.ts serve`, its own
 * process) on a database holding `--days` of hourly history for `--models` free models
 * (lib/demo, as a server would have written it), scanning the fake OpenRouter slowly enough
 * that the scan lasts the whole run, while wrk holds `--connections` connections for
 * `--seconds` on each path in turn: `/`, `/api/models`, `/api/summary`, `/models/{id}`.
 * Prints requests/s, p50/p90/p99 and the errors (socket errors and non-2xx) per path, the
 * machine's load average, and exits 1 on any error or a scan that did not run throughout.
 *
 *   deno task load                                   # 60 models × 90 days, 50 connections × 15 s
 *   deno task load --connections 12 --seconds 3      # shorter
 *   deno task load --encoding identity               # wrk's default request (no compression)
 *   deno task load --goal                            # also exit 1 under 1,000 req/s or p99 > 100 ms
 *
 * wrk sends what a browser sends (`Accept-Encoding: gzip, deflate, br`) unless `--encoding`
 * says otherwise. Without wrk on the PATH, a built-in fetch client stands in (`--tool fetch`).
 * tests/hardening/load_test.ts runs a short one in CI and asserts zero errors (not timings).
 */
import { parseArgs } from "node:util";
import { percentile } from "../lib/stats/health.ts";
import { openStore } from "../lib/db/open.ts";
import { fillDemo } from "../lib/demo/fill.ts";
import { ensureAssets } from "../lib/web/build.ts";
import { startFakeOpenRouter } from "../tests/fake_openrouter.ts";
import { startServer } from "../tests/hardening/server.ts";
import { hasWrk, runWrk, type WrkFigures } from "./wrk.ts";

export interface LoadOptions {
  connections: number;
  /** Per path. */
  seconds: number;
  models: number;
  days: number;
  /** The Accept-Encoding header sent; null sends none. */
  acceptEncoding: string | null;
  /** Default: wrk when installed, else fetch. */
  tool?: "wrk" | "fetch";
}

export type PathFigures = WrkFigures;

export interface LoadReport {
  options: LoadOptions;
  tool: "wrk" | "fetch";
  byPath: Record<string, PathFigures>;
  /** Whether the scan was still running when the load ended (it must span the whole run). */
  scanRanThroughout: boolean;
  /** /proc/loadavg's 1-minute figure before and after the load (null off Linux). */
  loadAverage: { before: number | null; after: number | null };
  /** The first few errors of the fetch client, as "path: what". */
  errorSamples: string[];
}

export const PATHS = ["/", "/api/models", "/api/summary", "/models/{id}"] as const;
export const BROWSER_ENCODING = "gzip, deflate, br";
const KEY = "sk-or-v1-load-bench-0000000000000000000000000000000000000000000000";
const SCAN_CONCURRENCY = 2;

async function loadAverage(): Promise<number | null> {
  try {
    return Number((await Deno.readTextFile("/proc/loadavg")).split(" ")[0]);
  } catch {
    return null;
  }
}

export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  await ensureAssets();
  const tool = opts.tool ?? (await hasWrk() ? "wrk" : "fetch");
  const dir = await Deno.makeTempDir({ prefix: "scouter-load-" });
  const store = await openStore({ path: `${dir}/results/scouter.db` });
  await fillDemo(store, { models: opts.models, days: opts.days, retentionDays: 30 });
  const present = await store.listModels({ presentOnly: true });
  store.close();

  // Slow enough answers that the scan outlasts the load (with some margin).
  const totalMs = (PATHS.length * (opts.seconds + 1) + 15) * 1000;
  const delayMs = Math.ceil((totalMs * SCAN_CONCURRENCY) / present.length);
  const fake = await startFakeOpenRouter({
    models: present.map((m) => ({ id: m.id, name: m.name, delayMs })),
    apiKey: KEY,
  });
  const server = await startServer(dir, {
    OPENROUTER_API_KEY: KEY,
    OPENROUTER_BASE_URL: fake.url,
    OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS: "0",
    OPENROUTER_SCOUT_CONCURRENCY: String(SCAN_CONCURRENCY),
    OPENROUTER_SCOUT_RPM: "100000",
    OPENROUTER_SCOUT_MAX_RETRIES: "0",
    OPENROUTER_SCOUT_TIMEOUT_SECONDS: String(Math.ceil(delayMs / 1000) + 10),
  });
  const running = async () =>
    (await (await fetch(`${server.base}/api/summary`)).json()).scanning.running !== null;
  try {
    for (let i = 0; i < 100 && !await running(); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!await running()) throw new Error("the scan did not start");

    const modelPath = `/models/${encodeURIComponent(present[0].id)}`;
    const headers: Record<string, string> = opts.acceptEncoding === null
      ? {}
      : { "Accept-Encoding": opts.acceptEncoding };
    const samples: string[] = [];
    const before = await loadAverage();
    const byPath: Record<string, PathFigures> = {};
    for (const label of PATHS) {
      const url = server.base + (label === "/models/{id}" ? modelPath : label);
      byPath[label] = tool === "wrk"
        ? await runWrk({ url, connections: opts.connections, seconds: opts.seconds, headers })
        : await fetchLoad(url, opts.connections, opts.seconds, headers, samples);
    }
    const after = await loadAverage();
    return {
      options: opts,
      tool,
      byPath,
      scanRanThroughout: await running(),
      loadAverage: { before, after },
      errorSamples: samples,
    };
  } finally {
    await server.stop();
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** The stand-in for wrk: `connections` clients fetching `url` back to back for `seconds`. */
async function fetchLoad(
  url: string,
  connections: number,
  seconds: number,
  headers: Record<string, string>,
  samples: string[],
): Promise<PathFigures> {
  const times: number[] = [];
  let errors = 0, non2xx = 0;
  const until = performance.now() + seconds * 1000;
  const client = async () => {
    while (performance.now() < until) {
      const t = performance.now();
      try {
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        times.push(performance.now() - t);
        if (res.status < 200 || res.status >= 400) {
          non2xx++;
          if (samples.length < 10) samples.push(`${url}: HTTP ${res.status}`);
        }
      } catch (err) {
        errors++;
        if (samples.length < 10) samples.push(`${url}: ${(err as Error).message}`);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, client));
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const q = (p: number) => Math.round((percentile(times, p) ?? 0) * 100) / 100;
  return {
    requests: times.length + errors,
    requestsPerSecond: Math.round((times.length + errors) / elapsed),
    errors,
    non2xx,
    p50: q(50),
    p75: q(75),
    p90: q(90),
    p99: q(99),
    max: Math.round((times.at(-1) ?? 0) * 100) / 100,
  };
}

/** The goal of issue 13, per path. */
export function meetsGoal(f: PathFigures): boolean {
  return f.requestsPerSecond >= 1000 && f.p99 <= 100 && f.errors === 0 && f.non2xx === 0;
}

export function formatReport(r: LoadReport): string {
  const o = r.options;
  const cell = (s: string | number, n: number) => String(s).padStart(n);
  const rows = Object.entries(r.byPath).map(([label, f]) =>
    `${label.padEnd(14)}${cell(f.requestsPerSecond, 7)}${cell(f.requests, 9)}${cell(f.p50, 9)}${
      cell(f.p90, 9)
    }${cell(f.p99, 9)}${cell(f.max, 9)}${cell(f.errors, 7)}${cell(f.non2xx, 7)}  ${
      meetsGoal(f) ? "met" : "NOT met"
    }`
  );
  const load = (n: number | null) => n === null ? "?" : n.toFixed(2);
  return [
    `${r.tool}: ${o.connections} connections × ${o.seconds} s per path, Accept-Encoding: ${
      o.acceptEncoding ?? "(none)"
    }; ${o.models} models with ${o.days} days of hourly history; a scan running throughout: ` +
    (r.scanRanThroughout ? "yes" : "NO"),
    `load average (1 min) ${load(r.loadAverage.before)} before, ${load(r.loadAverage.after)} after`,
    `path             req/s     reqs  p50 ms   p90 ms   p99 ms   max ms errors non2xx  goal (≥ 1,000 req/s, p99 ≤ 100 ms)`,
    ...rows,
    ...r.errorSamples.map((s) => `error: ${s}`),
  ].join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      connections: { type: "string", default: "50" },
      seconds: { type: "string", default: "15" },
      models: { type: "string", default: "60" },
      days: { type: "string", default: "90" },
      encoding: { type: "string", default: BROWSER_ENCODING },
      tool: { type: "string" },
      goal: { type: "boolean", default: false },
    },
  });
  if (values.tool !== undefined && values.tool !== "wrk" && values.tool !== "fetch") {
    console.error(`--tool must be wrk or fetch, not ${JSON.stringify(values.tool)}`);
    Deno.exit(2);
  }
  const report = await runLoad({
    connections: Number(values.connections),
    seconds: Number(values.seconds),
    models: Number(values.models),
    days: Number(values.days),
    acceptEncoding: values.encoding === "identity" ? null : values.encoding!,
    tool: values.tool as "wrk" | "fetch" | undefined,
  });
  console.log(formatReport(report));
  const figures = Object.values(report.byPath);
  const errors = figures.some((f) => f.errors > 0 || f.non2xx > 0);
  if (errors || !report.scanRanThroughout || (values.goal && !figures.every(meetsGoal))) {
    Deno.exit(1);
  }
}
