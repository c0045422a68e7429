/**
 * Benchmark of issue 6's features on a realistic history (`--models` models, `--days` days of
 * hourly checks): the alert rules over the whole backlog and after one scan, the metrics, the
 * recommendation, a 90-day CSV export, a badge, and the spread plan. Prints figures; asserts
 * nothing.
 *
 *   deno run -A bench/features_bench.ts [--models 30] [--days 90]
 */
import { parseArgs } from "node:util";
import { runAlertPass } from "../lib/alerts/engine.ts";
import { collectMetrics } from "../lib/metrics/collect.ts";
import { planSpread } from "../lib/planner/spread.ts";
import { recommend } from "../lib/recommend/mod.ts";
import { createApp } from "../routes/app.ts";
import { generateHistory, openTestStore, seedStore } from "../tests/seed.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { models: { type: "string", default: "30" }, days: { type: "string", default: "90" } },
});
const now = Date.UTC(2026, 10, 27, 12);
const rules = { downAfter: 3, recoverAfter: 2, expiryDays: 7 };
await using db = await openTestStore();
const history = generateHistory({ now, models: Number(values.models), days: Number(values.days) });
const t = performance.now();
await seedStore(db.store, history);
console.log(`seeded ${history.checks?.length} checks in ${ms(t)}`);

async function time<T>(label: string, f: () => Promise<T>, runs = 1): Promise<T> {
  let out!: T;
  const start = performance.now();
  for (let i = 0; i < runs; i++) out = await f();
  console.log(`${label.padEnd(48)} ${((performance.now() - start) / runs).toFixed(1)} ms`);
  return out;
}

const events = await time(
  "alert pass, whole backlog (first pass)",
  () => runAlertPass(db.store, rules, now, "bench"),
);
console.log(`  → ${events.length} events`);
await seedStore(db.store, {
  models: history.models,
  checks: (history.models ?? []).map((m, i) => ({
    model_id: m.id,
    checked_at: now + 60_000 + i,
    status: "timeout" as const,
  })),
});
await time(
  "alert pass after one scan",
  () => runAlertPass(db.store, rules, now + 120_000, "bench"),
);
await time(
  "alert pass, nothing new",
  () => runAlertPass(db.store, rules, now + 120_000, "bench"),
  5,
);

const idle = {
  enabled: true,
  disabled_reason: null,
  schedule: "every 1 h",
  running: null,
  next_scan_at: null,
};
const text = await time("metrics (collect + render)", () => collectMetrics(db.store, idle, now), 5);
console.log(`  → ${text.length} bytes, ${text.split("\n").length} lines`);
await time(
  "recommend (all filters off)",
  () => recommend(db.store, { minContext: null, tools: false, modalities: [], limit: 5 }, now),
  5,
);

const app = createApp({
  store: db.store,
  scanner: { status: () => Promise.resolve(idle), requestScan: () => Promise.resolve("busy") },
  now: () => now,
  adminToken: null,
}, () => {});
const id = history.models?.[0].id ?? "";
const csv = await time("export 90 days of one model (CSV)", async () => {
  const res = await app.request(
    `/api/export/checks?model_id=${encodeURIComponent(id)}&from=${
      new Date(now - 90 * 86_400_000).toISOString()
    }`,
  );
  return await res.text();
}, 3);
console.log(`  → ${csv.length} bytes, ${csv.split("\r\n").length - 2} rows`);
await time("badge, first request (uncached)", async () => {
  await (await app.request(`/badge/${id}/uptime/30d.svg`)).text();
});
await time("badge, cached", async () => {
  await (await app.request(`/badge/${id}/uptime/30d.svg`)).text();
}, 20);
await time("spread plan, 100 models, 1000 a day", () =>
  Promise.resolve(planSpread({
    models: Array.from({ length: 100 }, (_, i) => ({ id: `m${i}`, unstable: i % 4 === 0 })),
    dailyBudget: 1000,
    scansPerDay: 24,
  })), 20);

function ms(start: number): string {
  return `${(performance.now() - start).toFixed(0)} ms`;
}
