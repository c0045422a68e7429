/**
 * What one render of `/` costs, piece by piece, on `deno task load`'s database (60 free models,
 * 90 days of hourly history, lib/demo), in this process (no HTTP, no response cache): the whole
 * page as a request renders it, then each of its reads and the models table's SSR alone. "after
 * a write" inserts one check before each render (a scan's case: the rollups' caches are cold).
 * Prints the median and p90 of `--runs` renders and the machine's load average.
 *
 *   deno run --allow-all bench/render_bench.ts [--models 60] [--days 90] [--runs 30]
 */
import { parseArgs } from "node:util";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { fillDemo } from "../lib/demo/fill.ts";
import { openStore } from "../lib/db/open.ts";
import {
  fleetAvailability,
  fleetSummary,
  lastFinishedRun,
  modelSummaries,
} from "../lib/stats/mod.ts";
import { capabilitiesByModel } from "../lib/stats/capabilities.ts";
import { ensureAssets } from "../lib/web/build.ts";
import type { AppDeps } from "../lib/web/deps.ts";
import { islandPropsJson } from "../lib/web/islands.tsx";
import { loadAssets } from "../lib/web/manifest.ts";
import { percentile } from "../lib/stats/health.ts";
import ModelTable from "../islands/ModelTable.tsx";
import { toModelRow } from "../islands/model_table_state.ts";
import { createPages } from "../routes/pages/mod.tsx";
import { dashboardInsights } from "../routes/pages/insights.ts";
import type { ScannerStatus } from "../lib/scan/status.ts";
import { checkDefaults } from "../tests/seed.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    models: { type: "string", default: "60" },
    days: { type: "string", default: "90" },
    runs: { type: "string", default: "30" },
  },
});
const runs = Number(values.runs);

await ensureAssets();
await loadAssets();
const dir = await Deno.makeTempDir({ prefix: "scouter-render-" });
const store = await openStore({ path: `${dir}/scouter.db` });
await fillDemo(store, {
  models: Number(values.models),
  days: Number(values.days),
  retentionDays: 30,
});
const status: ScannerStatus = {
  enabled: true,
  disabled_reason: null,
  schedule: "every 1 h",
  running: null,
  next_scan_at: null,
};
const deps: AppDeps = {
  store,
  scanner: { status: () => Promise.resolve(status), requestScan: () => Promise.resolve("busy") },
  now: Date.now,
  adminToken: null,
};
const pages = createPages(deps);
const present = await store.listModels({ presentOnly: true });
let run: number | null = null;
let at = Date.now() - 60_000;
/** One check, as a scan writes it: the rollups' version moves. */
const write = async () => {
  run ??= await store.startRun({ trigger: "schedule", started_at: at });
  at += 10;
  await store.insertCheck(run, {
    model_id: present[0].id,
    checked_at: at,
    ...checkDefaults("ok"),
    latency_ms: 900,
  });
};

async function time(label: string, fn: () => Promise<unknown> | unknown, before?: () => unknown) {
  const times: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    if (before) await before();
    const t = performance.now();
    await fn();
    if (i >= 3) times.push(performance.now() - t); // the first few warm the JIT
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => (percentile(times, p) ?? NaN).toFixed(1).padStart(7);
  console.log(`${label.padEnd(44)} ${q(50)} ms ${q(90)} ms`);
}

const loadavg = async () => (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3);
console.log(
  `${values.models} models × ${values.days} days, ${runs} runs each; load average ${
    (await loadavg()).join(" ")
  }`,
);
console.log(`${"what".padEnd(44)}     p50        p90`);
const page = async () => {
  const res = await pages.request("/");
  if (res.status !== 200) throw new Error(`/ answered ${res.status}`);
  await res.arrayBuffer();
};
await time("GET / (whole render, data unchanged)", page);
await time("GET / after a write", page, write);
const now = Date.now();
await time("  fleetSummary after a write", () => fleetSummary(store, now), write);
await time("  modelSummaries after a write", () => modelSummaries(store, now), write);
await time("  lastFinishedRun", () => lastFinishedRun(store));
await time(
  "  fleetAvailability 7d after a write",
  () => fleetAvailability(store, "7d", now),
  write,
);
await time("  dashboardInsights after a write", () => dashboardInsights(deps, now), write);
const caps = await capabilitiesByModel(store.client);
await time("  capabilitiesByModel", () => capabilitiesByModel(store.client));
const rows = (await modelSummaries(store, now)).map((m) => toModelRow(m, caps.get(m.model_id)));
await time("  ModelTable SSR (renderToString)", () => renderToString(h(ModelTable, { rows, now })));
await time("  ModelTable props JSON", () => islandPropsJson("ModelTable", { rows, now }));
const html = await (await pages.request("/")).text();
console.log(`HTML of /: ${html.length} characters; load average ${(await loadavg()).join(" ")}`);

store.close();
await Deno.remove(dir, { recursive: true });
