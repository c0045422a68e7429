/**
 * Load under a running scan: the real server (`main.ts serve`, its own process) on a database
 * holding `--days` of history for `--models` models, scanning the fake OpenRouter slowly
 * enough that the scan lasts the whole run, while `--clients` concurrent clients fetch `/`,
 * `/models/{id}` and `/api/models` for `--seconds`. Prints p50/p99 per path and overall, the
 * throughput and the errors (any status but 200, or a failed request).
 *
 *   deno task load                              # 50 clients × 30 s
 *   deno task load --clients 10 --seconds 5     # shorter
 *
 * tests/hardening/load_test.ts runs a short one in CI and asserts zero errors (not timings).
 */
import { parseArgs } from "node:util";
import { percentile } from "../lib/stats/health.ts";
import { openStore } from "../lib/db/open.ts";
import { ensureAssets } from "../lib/web/build.ts";
import { startFakeOpenRouter } from "../tests/fake_openrouter.ts";
import { startServer } from "../tests/hardening/server.ts";
import { generateHistory, seedStore } from "../tests/seed.ts";

export interface LoadOptions {
  clients: number;
  seconds: number;
  models: number;
  days: number;
}

export interface PathFigures {
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

export interface LoadReport {
  options: LoadOptions;
  overall: PathFigures;
  byPath: Record<string, PathFigures>;
  requestsPerSecond: number;
  /** The first few errors, as "path: what". */
  errorSamples: string[];
  /** Whether the scan was still running when the load ended (it must span the whole run). */
  scanRanThroughout: boolean;
}

const KEY = "sk-or-v1-load-bench-0000000000000000000000000000000000000000000000";
const SCAN_CONCURRENCY = 2;

function figures(times: number[], errors: number): PathFigures {
  const sorted = [...times].sort((a, b) => a - b);
  const q = (p: number) => Math.round((percentile(sorted, p * 100) ?? 0) * 10) / 10;
  return {
    requests: times.length + errors,
    errors,
    p50: q(0.5),
    p99: q(0.99),
    max: Math.round((sorted.at(-1) ?? 0) * 10) / 10,
  };
}

export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  await ensureAssets();
  const dir = await Deno.makeTempDir({ prefix: "scouter-load-" });
  const history = generateHistory({ now: Date.now(), models: opts.models, days: opts.days });
  const store = await openStore({ path: `${dir}/results/scouter.db` });
  await seedStore(store, history);
  store.close();

  const present = history.models!.filter((m) => m.present !== false);
  // Slow enough answers that the scan outlasts the load (with some margin).
  const delayMs = Math.ceil(((opts.seconds + 10) * 1000 * SCAN_CONCURRENCY) / present.length);
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

    const ids = present.map((m) => encodeURIComponent(m.id));
    const times: Record<string, number[]> = { "/": [], "/models/{id}": [], "/api/models": [] };
    const errors: Record<string, number> = { "/": 0, "/models/{id}": 0, "/api/models": 0 };
    const samples: string[] = [];
    const until = performance.now() + opts.seconds * 1000;
    const client = async (n: number) => {
      for (let i = n; performance.now() < until; i++) {
        const [label, path] = [
          ["/", "/"],
          ["/models/{id}", `/models/${ids[i % ids.length]}`],
          ["/api/models", "/api/models"],
        ][i % 3];
        const t = performance.now();
        try {
          const res = await fetch(server.base + path);
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
          times[label].push(performance.now() - t);
        } catch (err) {
          errors[label]++;
          if (samples.length < 10) samples.push(`${path}: ${(err as Error).message}`);
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: opts.clients }, (_, n) => client(n)));
    const elapsed = (performance.now() - started) / 1000;
    const scanRanThroughout = await running();

    const byPath = Object.fromEntries(
      Object.keys(times).map((label) => [label, figures(times[label], errors[label])]),
    );
    const all = Object.values(times).flat();
    const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
    return {
      options: opts,
      overall: figures(all, errorCount),
      byPath,
      requestsPerSecond: Math.round((all.length + errorCount) / elapsed),
      errorSamples: samples,
      scanRanThroughout,
    };
  } finally {
    await server.stop();
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
}

export function formatReport(r: LoadReport): string {
  const o = r.options;
  const line = (label: string, f: PathFigures) =>
    `${label.padEnd(14)} ${String(f.requests).padStart(6)} req  ${
      String(f.errors).padStart(3)
    } errors  p50 ${f.p50} ms  p99 ${f.p99} ms  max ${f.max} ms`;
  return [
    `${o.clients} clients × ${o.seconds} s on /, /models/{id}, /api/models; ` +
    `${o.models} models with ${o.days} days of history; a scan running throughout: ` +
    (r.scanRanThroughout ? "yes" : "NO"),
    ...Object.entries(r.byPath).map(([label, f]) => line(label, f)),
    line("all", r.overall),
    `${r.requestsPerSecond} requests/s`,
    ...r.errorSamples.map((s) => `error: ${s}`),
  ].join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      clients: { type: "string", default: "50" },
      seconds: { type: "string", default: "30" },
      models: { type: "string", default: "40" },
      days: { type: "string", default: "7" },
    },
  });
  const report = await runLoad({
    clients: Number(values.clients),
    seconds: Number(values.seconds),
    models: Number(values.models),
    days: Number(values.days),
  });
  console.log(formatReport(report));
  if (report.overall.errors > 0 || !report.scanRanThroughout) Deno.exit(1);
}
