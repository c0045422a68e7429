/**
 * Fills a store with demo history (history.ts) as a server running all that time would have left
 * it: catalog syncs when the catalog changed, every scan's runs and their rollups, and raw checks
 * only for the retention window (older ones are rolled up; see lib/db/bulk_writer.ts).
 */
import { bulkWriter } from "../db/bulk_writer.ts";
import { retentionCutoff } from "../db/retention.ts";
import type { Store } from "../db/store.ts";
import type { CatalogModel } from "../openrouter/types.ts";
import { demoHistory, type DemoOptions, scanTimes } from "./history.ts";

export interface FillOptions extends DemoOptions {
  /** Days of raw checks kept (0: all). */
  retentionDays: number;
  /** Called after each chunk: checks written so far, and about how many in all. */
  onProgress?: (done: number, total: number) => void;
}

export interface FillReport {
  runs: number;
  checks: number;
  /** Checks only rolled up (older than the retention window). */
  rolledUpOnly: number;
  /** Distinct models over the whole history. */
  models: number;
  catalogChanges: number;
  /** Time writing runs and checks with their rollups and latest state, in ms. */
  writeMs: number;
}

/** Refuses a database that already holds checks: demo data must not mix with real data. */
export async function fillDemo(store: Store, opts: FillOptions): Promise<FillReport> {
  const any = await store.client.execute(
    "SELECT EXISTS (SELECT 1 FROM checks) OR EXISTS (SELECT 1 FROM rollups) AS n",
  );
  if (Number(any.rows[0]?.n) !== 0) {
    throw new Error("the database already holds checks; give the demo a new file (--db-path)");
  }
  const now = opts.now ?? Date.now();
  const total = scanTimes({ ...opts, now }).length * (opts.models ?? 100);
  const report: FillReport = {
    runs: 0,
    checks: 0,
    rolledUpOnly: 0,
    models: 0,
    catalogChanges: 0,
    writeMs: 0,
  };
  const writer = bulkWriter(store, {
    rawFrom: retentionCutoff(opts.retentionDays, now),
    onWritten: (written, runs) => {
      const checks = runs.reduce((n, r) => n + r.checks.length, 0);
      report.runs += runs.length;
      report.checks += checks;
      report.rolledUpOnly += checks - written.checks;
      opts.onProgress?.(report.checks, total);
    },
  });
  const timed = async (step: () => Promise<void>) => {
    const t = performance.now();
    await step();
    report.writeMs += performance.now() - t;
  };
  const seen = new Set<string>();
  let catalog: { models: CatalogModel[]; at: number } | null = null;
  let lastScan = -Infinity;
  for (const item of demoHistory({ ...opts, now })) {
    if (item.kind === "catalog") {
      for (const m of item.models) seen.add(m.id);
      // The catalog as the last scan saw it (so models leaving now were last seen then).
      if (catalog && lastScan > catalog.at) await store.syncCatalog(catalog.models, lastScan, null);
      await store.syncCatalog(item.models, item.at, null);
      catalog = { models: item.models, at: item.at };
      report.catalogChanges++;
      continue;
    }
    for (const run of item.runs) await timed(() => writer.add(run));
    lastScan = item.until;
  }
  await timed(() => writer.finish());
  if (catalog && lastScan > catalog.at) await store.syncCatalog(catalog.models, lastScan, null);
  report.models = seen.size;
  return report;
}
