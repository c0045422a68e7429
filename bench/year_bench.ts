/**
 * A year of history, measured: builds the database a server scanning `--models` free models
 * every hour for `--days` days would have (lib/demo, raw checks pruned past 30 days as the server
 * does), measures its size, the rollup and import rates, then starts the real server
 * (`main.ts serve`, in its own process) and times its pages and API with a plain HTTP client,
 * sequentially and with a few concurrent clients. Prints figures; asserts nothing.
 *
 *   deno task bench [--models 100] [--days 365] [--requests 300] [--concurrency 4]
 *                   [--no-import] [--keep]
 */
import { parseArgs } from "node:util";
import { percentile } from "../lib/stats/health.ts";
import { createClient } from "@libsql/client";
import { openStore } from "../lib/db/open.ts";
import { retentionCutoff } from "../lib/db/retention.ts";
import { rollupStatements } from "../lib/db/rollups.ts";
import { fillDemo } from "../lib/demo/fill.ts";
import { demoHistory } from "../lib/demo/history.ts";
import { importLegacy } from "../lib/legacy/import.ts";
import { openLegacy } from "../lib/legacy/source.ts";
import { startServer } from "../tests/cli/server_process.ts";
import { pythonHistory, writePythonDb } from "../tests/legacy/python_db.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    models: { type: "string", default: "100" },
    days: { type: "string", default: "365" },
    requests: { type: "string", default: "300" },
    concurrency: { type: "string", default: "4" },
    "no-import": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const MODELS = Number(values.models);
const DAYS = Number(values.days);
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const RETENTION_DAYS = 30;

const dir = await Deno.makeTempDir({ prefix: "scouter-yearbench-" });
const dbPath = `${dir}/scouter.db`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString("en")}/s`;
async function fileSize(path: string): Promise<number> {
  let total = 0;
  for (const suffix of ["", "-wal"]) {
    total += await Deno.stat(path + suffix).then((s) => s.size).catch(() => 0);
  }
  return total;
}

console.log(
  `# Scouter year benchmark: ${MODELS} models × ${DAYS} days, hourly scans, ` +
    `retention ${RETENTION_DAYS} days · ${Deno.build.os} ${navigator.hardwareConcurrency} cores · ` +
    `load average ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}`,
);

// ---- 1. The database: a year of demo history, written as the server would have ------------
{
  const store = await openStore({ path: dbPath });
  const started = performance.now();
  const report = await fillDemo(store, {
    models: MODELS,
    days: DAYS,
    seed: 1,
    retentionDays: RETENTION_DAYS,
  });
  const ms = performance.now() - started;
  await store.client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  const count = async (sql: string) => Number((await store.client.execute(sql)).rows[0][0]);
  const raw = await count("SELECT COUNT(*) FROM checks");
  const hourly = await count("SELECT COUNT(*) FROM rollups WHERE grain = 0");
  const daily = await count("SELECT COUNT(*) FROM rollups WHERE grain = 1");
  store.close();
  const size = await fileSize(dbPath);
  console.log(`\n## Building the database`);
  console.log(
    `${report.checks.toLocaleString("en")} checks in ${report.runs} scans of ` +
      `${report.models} models (${report.catalogChanges} catalog changes) in ${secs(ms)}: ` +
      `${rate(report.checks, ms)} (writing checks with their rollups and latest state ` +
      `${rate(report.checks, report.writeMs)}; ${report.rolledUpOnly.toLocaleString("en")} ` +
      `older than ${RETENTION_DAYS} days rolled up only)`,
  );
  console.log(
    `database: ${mb(size)} (${mb(size * 365 / DAYS)} per year) — raw checks kept ` +
      `${raw.toLocaleString("en")}, hourly rollup rows ${hourly.toLocaleString("en")}, ` +
      `daily ${daily.toLocaleString("en")}`,
  );
}

// ---- 2. Rollup rates: one check at a time, and in bulk from raw checks ----------------------
{
  const store = await openStore({ path: `${dir}/rates.db` });
  const checks = [...demoHistory({ models: MODELS, days: 30, seed: 2 })]
    .flatMap((i) => i.kind === "runs" ? i.runs.flatMap((r) => r.checks) : []);
  const run = await store.startRun({ trigger: "cli", started_at: checks[0].checked_at });
  const one = checks.slice(0, 2_000);
  let t = performance.now();
  for (const c of one) await store.insertCheck(run, c);
  const perCheck = (performance.now() - t) / one.length;
  // The migration's backfill path: raw checks already stored, rolled up by INSERT … SELECT.
  await store.client.execute("DELETE FROM checks");
  for (let i = 0; i < checks.length; i += 5_000) {
    await store.client.execute({
      sql: `INSERT INTO checks (run_id, model_id, checked_at, status, ok, latency_ms, ttft_ms)
        SELECT ?, value ->> 0, value ->> 1, value ->> 2, value ->> 2 = 'ok', value ->> 3,
          value ->> 4 FROM json_each(?)`,
      args: [
        run,
        JSON.stringify(
          checks.slice(i, i + 5_000).map((c) => [
            c.model_id,
            c.checked_at,
            c.status,
            c.latency_ms,
            c.ttft_ms,
          ]),
        ),
      ],
    });
  }
  await store.client.batch(["DELETE FROM rollups", "DELETE FROM model_state"], "write");
  t = performance.now();
  await store.client.batch(rollupStatements("1"), "write");
  const bulkMs = performance.now() - t;
  // Retention: delete most of them in batches, as the server does after a scan.
  t = performance.now();
  const pruned = await store.pruneChecks({
    retentionDays: 1,
    now: checks.at(-1)!.checked_at,
    reclaim: false,
  });
  const pruneMs = performance.now() - t;
  store.close();
  console.log(`\n## Rollup rates`);
  console.log(
    `insertCheck (check + rollups + latest state, one transaction): ${perCheck.toFixed(2)} ms ` +
      `a check; bulk rollup of ${checks.length.toLocaleString("en")} stored checks ` +
      `(migration backfill): ${rate(checks.length, bulkMs)}; pruning ` +
      `${pruned.deleted.toLocaleString("en")} raw checks in ${pruned.batches} batches: ` +
      `${rate(pruned.deleted, pruneMs)}`,
  );
}

// ---- 3. Importing the Python scouter's history ---------------------------------------------
if (!values["no-import"]) {
  const py = `${dir}/python.db`;
  let t = performance.now();
  const rows = await writePythonDb(
    py,
    pythonHistory({ models: MODELS, days: DAYS, end: Date.now() - 3_600_000 }),
  );
  const makeMs = performance.now() - t;
  const store = await openStore({ path: `${dir}/imported.db` });
  const src = await openLegacy(py);
  t = performance.now();
  const report = await importLegacy(store, src, {
    timeZone: "UTC",
    rateLimited: "auto",
    rawFrom: retentionCutoff(RETENTION_DAYS, Date.now()),
  });
  const ms = performance.now() - t;
  src.close();
  store.close();
  console.log(`\n## Python scouter import`);
  console.log(
    `${rows.toLocaleString("en")} rows (written in ${secs(makeMs)}) imported in ${secs(ms)}: ` +
      `${rate(report.checks, ms)}, ${report.runs} runs (${
        report.rolledUpOnly.toLocaleString("en")
      } ` +
      `checks older than ${RETENTION_DAYS} days rolled up only, as the CLI does)`,
  );
}

// ---- 4. The server, under a plain HTTP client ----------------------------------------------
const server = await startServer({
  entry: "main.ts",
  args: ["serve"],
  cwd: dir,
  env: { OPENROUTER_SCOUT_DB_PATH: dbPath, OPENROUTER_SCOUT_SCAN_ON_START: "false" },
});
const base = server.base;

const models = await (await fetch(`${base}/api/models`)).json() as { model_id: string }[];
const id = models[Math.floor(models.length / 3)].model_id;
const endpoints: [string, string, "api" | "page"][] = [
  ["/", "/", "page"],
  ["/models/{id}", `/models/${id}`, "page"],
  // The latency chart of a year: one point a week from the rollups.
  ["/models/{id}?range=1y", `/models/${id}?range=1y`, "page"],
  ["/api/summary", "/api/summary", "api"],
  ["/api/models", "/api/models", "api"],
  ["/api/models/{id}/history?range=90d", `/api/models/${id}/history?range=90d`, "api"],
];
const TARGET = { api: 10, page: 30 };

async function timed(path: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(base + path);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return performance.now() - t;
}
const q = (sorted: number[], p: number) => percentile(sorted, p) ?? NaN;

// Another process's write before each request: what a scan in progress costs the readers (the
// rollup part of a range is cached between writes, see lib/stats/rollup_read.ts).
const writer = createClient({ url: `file:${dbPath}` });
const bump = () =>
  writer.execute("UPDATE store_meta SET value = value + 1 WHERE name = 'rollups_version'");

console.log(
  `\n## HTTP (${REQUESTS} sequential requests each, then ${CONCURRENCY} concurrent clients; ` +
    `"after a write": a write to the rollups before each request, as during a scan)`,
);
console.log(
  "| endpoint | p50 | p95 | p99 | req/s sequential | req/s ×" + CONCURRENCY +
    ` | p50 ×${CONCURRENCY} | p50 after a write | target p50 |`,
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const [name, path, kind] of endpoints) {
  for (let i = 0; i < 20; i++) await timed(path);
  const seq: number[] = [];
  let t = performance.now();
  for (let i = 0; i < REQUESTS; i++) seq.push(await timed(path));
  const seqMs = performance.now() - t;
  const conc: number[] = [];
  t = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let i = 0; i < REQUESTS / CONCURRENCY; i++) conc.push(await timed(path));
  }));
  const concMs = performance.now() - t;
  const cold: number[] = [];
  for (let i = 0; i < Math.min(REQUESTS, 100); i++) {
    await bump();
    cold.push(await timed(path));
  }
  seq.sort((a, b) => a - b);
  conc.sort((a, b) => a - b);
  cold.sort((a, b) => a - b);
  const p50 = q(seq, 50);
  const verdict = p50 <= TARGET[kind] ? "met" : "MISSED";
  console.log(
    `| ${name} | ${p50.toFixed(1)} ms | ${q(seq, 95).toFixed(1)} ms | ${q(seq, 99).toFixed(1)} ms` +
      ` | ${rate(seq.length, seqMs)} | ${rate(conc.length, concMs)} | ${
        q(conc, 50).toFixed(1)
      } ms` +
      ` | ${q(cold, 50).toFixed(1)} ms | ≤ ${TARGET[kind]} ms: ${verdict} |`,
  );
}

writer.close();
await server.stop();
if (values.keep) console.log(`\nkept: ${dir}`);
else await Deno.remove(dir, { recursive: true });
