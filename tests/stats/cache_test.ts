/**
 * The rollup part of a range is cached per rollups version: every write bumps it, in any
 * process, so a read never serves rollups older than the database's.
 */
import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { rangeStats } from "../../lib/stats/ranges.ts";
import { fleetSummary, modelSummaries } from "../../lib/stats/summaries.ts";
import { dailyUptime, fleetAvailability } from "../../lib/stats/timeline.ts";
import { check, tempDb } from "../db/helpers.ts";

const NOW = Date.UTC(2026, 10, 27, 10, 30);
const H = 3_600_000;
const M = "a/a:free";

Deno.test("cache: reads follow every write, this process's or another's", async () => {
  const db = await tempDb();
  const mine = await openStore({ path: db.path });
  const other = await openStore({ path: db.path });
  try {
    const run = await mine.startRun({ trigger: "cli", started_at: NOW - 5 * H });
    await mine.insertCheck(run, check(M, { checked_at: NOW - 5 * H, latency_ms: 500 }));
    const read = async () => ({
      week: (await rangeStats(mine, M, "7d", NOW)).checks,
      year: (await rangeStats(mine, M, "1y", NOW)).checks,
      table: (await modelSummaries(mine, NOW)).find((m) => m.model_id === M)?.checks_24h,
      fleet: (await fleetSummary(mine, NOW)).fleet_uptime_24h,
      hours: (await fleetAvailability(mine, "24h", NOW)).reduce((n, p) => n + p.checks, 0),
      days: (await dailyUptime(mine, M, 30, NOW)).reduce((n, d) => n + d.checks, 0),
    });
    const all = (n: number, fleet: number) => ({
      week: n,
      year: n,
      table: n,
      fleet,
      hours: n,
      days: n,
    });
    assert.deepEqual(await read(), all(1, 100));
    assert.deepEqual(await read(), all(1, 100), "again, from the cache");

    // A check written here, in an hour the cached part covers.
    await mine.insertCheck(run, check(M, { checked_at: NOW - 4 * H, status: "timeout" }));
    assert.deepEqual(await read(), all(2, 50));

    // Another connection (another process) writes: the version in the database moves on.
    await other.writeBulk([{
      started_at: NOW - 3 * H,
      finished_at: NOW - 3 * H,
      status: "completed",
      trigger: "cli",
      checks: [check(M, { checked_at: NOW - 3 * H }), check(M, { checked_at: NOW - 2 * H })],
    }]);
    assert.deepEqual(await read(), all(4, 75));
  } finally {
    mine.close();
    other.close();
    await db.cleanup();
  }
});
