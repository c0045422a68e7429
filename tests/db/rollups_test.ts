/**
 * Rollups and latest state: the three ways they are written (one check at a time in
 * insertCheck, in bulk by writeBulk, and by migration 2's backfill from raw checks) give the
 * same rows, whatever the order of the checks; a failed insert leaves nothing behind; the
 * histogram bins agree between SQL and JavaScript; pruning keeps readers going and space
 * comes back.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { createClient } from "@libsql/client";
import { openStore } from "../../lib/db/open.ts";
import type { Store } from "../../lib/db/store.ts";
import { migrate, MIGRATIONS } from "../../lib/db/migrations.ts";
import {
  binOf,
  binSql,
  histogramPercentile,
  parseHistogram,
  PERCENTILE_ERROR,
} from "../../lib/db/histogram.ts";
import { percentile } from "../../lib/stats/health.ts";
import type { CheckResult, CheckStatus } from "../../lib/domain/check.ts";
import { check, tempDb } from "./helpers.ts";

const T0 = Date.UTC(2026, 10, 20, 7, 0);
const STATUSES: CheckStatus[] = [
  "ok",
  "ok",
  "ok",
  "timeout",
  "rate_limited",
  "unavailable",
  "wrong_answer",
  "skipped",
];

const checkArb = fc.record({
  model: fc.constantFrom("a/a:free", "b/b:free", 'c/it\'s "odd":free'),
  // Ties in time, hours and days apart, in any order.
  at: fc.integer({ min: 0, max: 3 * 24 * 6 }).map((slot) => T0 + slot * 10 * 60_000),
  status: fc.constantFrom(...STATUSES),
  latency: fc.option(fc.integer({ min: 0, max: 40_000 }), { nil: null, freq: 5 }),
  ttft: fc.option(fc.integer({ min: 1, max: 9_000 }), { nil: null, freq: 5 }),
});

type Drawn = typeof checkArb extends fc.Arbitrary<infer R> ? R : never;

function toCheck(c: Drawn) {
  return check(c.model, {
    checked_at: c.at,
    status: c.status,
    latency_ms: c.latency,
    ttft_ms: c.status === "ok" ? c.ttft : null,
    skip_reason: c.status === "skipped" ? "quota" : null,
  });
}

/** Rollup rows and latest state, comparable across databases (histograms parsed). */
async function derived(store: Store) {
  const rollups = (await store.client.execute(
    `SELECT k.model_id, r.* FROM rollups r LEFT JOIN model_keys k ON k.key = r.model_key
    ORDER BY k.model_id, r.grain, r.bucket`,
  )).rows.map((r) => {
    const { model_key: _key, lat_hist, ttft_hist, ...rest } = r;
    return {
      ...rest,
      lat_hist: Object.fromEntries(parseHistogram(lat_hist)),
      ttft_hist: Object.fromEntries(parseHistogram(ttft_hist)),
    };
  });
  const state = (await store.client.execute(
    "SELECT * FROM model_state ORDER BY model_id",
  )).rows.map((r) => ({ ...r, spark: JSON.parse(String(r.spark)) }));
  return { rollups, state };
}

async function perCheck(checks: CheckResult[]): Promise<Store> {
  const store = await openStore({ path: ":memory:" });
  const run = await store.startRun({ trigger: "cli", started_at: T0 });
  for (const c of checks) await store.insertCheck(run, c);
  return store;
}

Deno.test("rollups: per check, in bulk and by the migration's backfill, in any order, agree", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(checkArb, { minLength: 1, maxLength: 60 }),
      fc.integer({ min: 1, max: 4 }),
      async (raw, parts) => {
        const checks = raw.map(toCheck);
        const one = await perCheck(checks);

        // Bulk, in `parts` transactions, each a run.
        const bulk = await openStore({ path: ":memory:" });
        const size = Math.ceil(checks.length / parts);
        for (let i = 0; i < checks.length; i += size) {
          await bulk.writeBulk([{
            started_at: T0,
            finished_at: T0,
            status: "completed",
            trigger: "cli",
            checks: checks.slice(i, i + size),
          }]);
        }

        // A version-1 database holding the checks, then migrated.
        const client = createClient({ url: ":memory:" });
        await migrate(client, 0, MIGRATIONS.slice(0, 1));
        await client.execute(
          "INSERT INTO runs (id, started_at, status, \"trigger\") VALUES (1, 0, 'completed', 'cli')",
        );
        for (const c of checks) {
          await client.execute({
            sql: `INSERT INTO checks (run_id, model_id, checked_at, status, ok, latency_ms, ttft_ms,
              http_status) VALUES (1, ?, ?, ?, ?, ?, ?, ?)`,
            args: [
              c.model_id,
              c.checked_at,
              c.status,
              c.status === "ok" ? 1 : 0,
              c.latency_ms,
              c.ttft_ms,
              c.http_status,
            ],
          });
        }
        await migrate(client);
        const migrated = { client } as Store;

        try {
          const expected = await derived(one);
          assert.deepEqual(await derived(bulk), expected);
          assert.deepEqual(await derived(migrated), expected);
          // The fleet row of each bucket is the sum of the models' rows.
          const sums = await one.client.execute(
            `SELECT grain, bucket, SUM(checks) FILTER (WHERE model_key > 0) AS models,
              SUM(checks) FILTER (WHERE model_key = 0) AS fleet FROM rollups GROUP BY 1, 2`,
          );
          for (const r of sums.rows) assert.equal(r.models ?? 0, r.fleet ?? 0);
        } finally {
          one.close();
          bulk.close();
          client.close();
        }
      },
    ),
    { numRuns: 40 },
  );
});

Deno.test("rollups: latest state follows the newest check, late arrivals included", async () => {
  const m = "a/a:free";
  const at = (h: number) => T0 + h * 3_600_000;
  // Arrival order differs from time order (another region's scan writing late).
  const store = await perCheck([
    check(m, { checked_at: at(1), status: "ok", latency_ms: 100 }),
    check(m, { checked_at: at(4), status: "timeout", latency_ms: null }),
    check(m, { checked_at: at(3), status: "unavailable" }),
    check(m, { checked_at: at(2), status: "ok", latency_ms: 200 }),
    check(m, { checked_at: at(5), status: "skipped", skip_reason: "quota" }),
  ]);
  try {
    const [s] = (await store.client.execute("SELECT * FROM model_state")).rows;
    assert.equal(s.last_at, at(4));
    assert.equal(s.last_status, "timeout");
    assert.equal(s.last_any_at, at(5));
    assert.equal(s.streak, 2); // 3h and 4h failed after the ok at 2h
    assert.equal(s.last_ok_at, at(2));
    assert.deepEqual(JSON.parse(String(s.spark)), [100, 200, null, null]);
  } finally {
    store.close();
  }
});

Deno.test("rollups: a check that fails to insert leaves no rollup or state behind", async () => {
  const store = await openStore({ path: ":memory:" });
  try {
    // No such run: the foreign key refuses the check, and the whole batch rolls back.
    await assert.rejects(() => store.insertCheck(9_999, check("a/a:free", { checked_at: T0 })));
    for (const table of ["checks", "rollups", "model_state", "model_keys"]) {
      const rs = await store.client.execute(`SELECT COUNT(*) AS n FROM ${table}`);
      assert.equal(rs.rows[0].n, 0, table);
    }
  } finally {
    store.close();
  }
});

Deno.test("rollups: counters stay exact integers far beyond a year of checks", async () => {
  const store = await perCheck([
    check("a/a:free", { checked_at: T0, latency_ms: 2 ** 45, ttft_ms: 1 }),
    check("a/a:free", { checked_at: T0 + 1, latency_ms: 2 ** 45 + 3, ttft_ms: 1 }),
  ]);
  try {
    const rs = await store.client.execute(
      "SELECT lat_sum, typeof(lat_sum) AS t FROM rollups WHERE model_key > 0 AND grain = 0",
    );
    assert.equal(rs.rows[0].t, "integer");
    assert.equal(rs.rows[0].lat_sum, 2 ** 46 + 3);
  } finally {
    store.close();
  }
});

Deno.test("histogram: SQL and JavaScript put every latency in the same bin", async () => {
  const client = createClient({ url: ":memory:" });
  try {
    const rs = await client.execute(
      `WITH RECURSIVE v(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM v WHERE x < 300000)
      SELECT json_group_array(${binSql("x")}) AS bins FROM v`,
    );
    const sql = JSON.parse(String(rs.rows[0].bins)) as number[];
    const mismatch = sql.findIndex((bin, x) => bin !== binOf(x));
    assert.equal(mismatch, -1, `first mismatch at ${mismatch} ms`);
  } finally {
    client.close();
  }
});

Deno.test("histogram: percentiles within 5 % of the exact nearest rank, exact for one value", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 600_000 }), { minLength: 1, maxLength: 300 }),
      fc.constantFrom(1, 50, 90, 95, 99, 100),
      (values, p) => {
        const h = new Map<number, { n: number; sum: number }>();
        for (const v of values) {
          const b = h.get(binOf(v)) ?? { n: 0, sum: 0 };
          h.set(binOf(v), { n: b.n + 1, sum: b.sum + v });
        }
        const exact = percentile([...values].sort((a, b) => a - b), p)!;
        const estimate = histogramPercentile(h, p)!;
        assert.ok(
          Math.abs(estimate - exact) <= PERCENTILE_ERROR * exact + 0.5,
          `p${p}: ${estimate} vs ${exact}`,
        );
      },
    ),
  );
  const one = new Map([[binOf(812), { n: 3, sum: 3 * 812 }]]);
  assert.equal(histogramPercentile(one, 50), 812);
  assert.equal(histogramPercentile(new Map(), 50), null);
  assert.deepEqual([...parseHistogram('{"5":[1,2]')], []); // damaged: empty, no throw
});

Deno.test("retention: prunes old raw checks in batches, rollups and state stay", async () => {
  const store = await openStore({ path: ":memory:" });
  try {
    const day = 86_400_000;
    const now = T0 + 40 * day;
    const checks = Array.from(
      { length: 40 * 24 },
      (_, i) =>
        check(i % 2 ? "a/a:free" : "b/b:free", {
          checked_at: T0 + i * 3_600_000,
          status: i % 10 ? "ok" : "timeout",
        }),
    );
    await store.writeBulk([{
      started_at: T0,
      finished_at: now,
      status: "completed",
      trigger: "cli",
      checks,
    }]);
    const before = await derived(store);
    const report = await store.pruneChecks({ retentionDays: 30, now, batchSize: 50, pauseMs: 0 });
    const cutoff = Math.floor((now - 30 * day) / 3_600_000) * 3_600_000;
    assert.equal(report.cutoff, cutoff);
    assert.equal(report.deleted, checks.filter((c) => c.checked_at < cutoff).length);
    assert.ok(report.batches > 4);
    const left = await store.listChecks({});
    assert.ok(left.every((c) => c.checked_at >= cutoff));
    assert.equal(left.length, checks.length - report.deleted);
    assert.deepEqual(await derived(store), before);
    const mark = await store.client.execute(
      "SELECT value FROM store_meta WHERE name = 'raw_pruned_before'",
    );
    assert.equal(mark.rows[0].value, cutoff);
    // Again: nothing more to delete; 0 keeps everything.
    assert.equal((await store.pruneChecks({ retentionDays: 30, now })).deleted, 0);
    assert.equal((await store.pruneChecks({ retentionDays: 0, now: now + 99 * day })).deleted, 0);
  } finally {
    store.close();
  }
});

Deno.test("retention: reads run between the batches of a prune", async () => {
  const store = await openStore({ path: ":memory:" });
  try {
    const checks = Array.from(
      { length: 3_000 },
      (_, i) => check("a/a:free", { checked_at: T0 + i * 1_000 }),
    );
    await store.writeBulk([{
      started_at: T0,
      finished_at: T0,
      status: "completed",
      trigger: "cli",
      checks,
    }]);
    const order: string[] = [];
    const pruning = store.pruneChecks({
      retentionDays: 1,
      now: T0 + 10 * 86_400_000,
      batchSize: 20,
      pauseMs: 1,
    }).then((r) => {
      order.push("prune");
      return r;
    });
    await new Promise((r) => setTimeout(r, 5));
    await store.listRuns(1).then(() => order.push("read"));
    const report = await pruning;
    assert.equal(report.deleted, 3_000);
    assert.deepEqual(order, ["read", "prune"]);
  } finally {
    store.close();
  }
});

Deno.test("retention: a prune that frees much of the file switches to incremental vacuum once", async () => {
  const db = await tempDb();
  try {
    const store = await openStore({ path: db.path });
    try {
      const checks = Array.from({ length: 6_000 }, (_, i) =>
        check(`m/${i % 50}:free`, {
          checked_at: T0 + i * 60_000,
          error: "x".repeat(300),
        }));
      await store.writeBulk([{
        started_at: T0,
        finished_at: T0,
        status: "completed",
        trigger: "cli",
        checks,
      }]);
      await store.client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      const big = (await Deno.stat(db.path)).size;
      const switchAt = { freeBytes: 256 * 1024, freeShare: 0.25 };
      const first = await store.pruneChecks({
        retentionDays: 1,
        now: T0 + 6_000 * 60_000 + 86_400_000 / 2,
        switchAt,
      });
      assert.ok(first.deleted > 4_000);
      assert.equal(first.switchedToIncremental, true);
      const mode = await store.client.execute("PRAGMA auto_vacuum");
      assert.equal(mode.rows[0].auto_vacuum, 2);
      const small = (await Deno.stat(db.path)).size;
      assert.ok(small < big / 2, `${small} vs ${big}`);
      // From now on the space comes back in incremental steps, without another VACUUM.
      const second = await store.pruneChecks({
        retentionDays: 1,
        now: T0 + 6_000 * 60_000 + 86_400_000 * 2,
        switchAt,
      });
      assert.ok(second.deleted > 0);
      assert.equal(second.switchedToIncremental, false);
      assert.ok(second.reclaimedPages > 0);
      const free = await store.client.execute("PRAGMA freelist_count");
      assert.equal(free.rows[0].freelist_count, 0);
    } finally {
      store.close();
    }
  } finally {
    await db.cleanup();
  }
});

Deno.test("retention: the server's scheduler prunes after each scan", async () => {
  const { startFakeOpenRouter } = await import("../fake_openrouter.ts");
  const { createOpenRouterClient } = await import("../../lib/openrouter/client.ts");
  const { createScheduler } = await import("../../lib/schedule/scheduler.ts");
  const { FAST_SETTINGS, TEST_KEY } = await import("../scan/helpers.ts");
  const fake = await startFakeOpenRouter({ models: [{ id: "a/a:free" }], apiKey: TEST_KEY });
  const db = await tempDb();
  const store = await openStore({ path: db.path });
  try {
    const old = Date.now() - 60 * 86_400_000;
    await store.writeBulk([{
      started_at: old,
      finished_at: old,
      status: "completed",
      trigger: "cli",
      checks: [check("a/a:free", { checked_at: old }), check("b/b:free", { checked_at: old })],
    }]);
    const logs: string[] = [];
    const scheduler = createScheduler({
      store,
      openrouter: createOpenRouterClient({ baseUrl: fake.url, apiKey: TEST_KEY }),
      settings: FAST_SETTINGS,
      timing: { kind: "interval", everyMs: 3_600_000 },
      scanOnStart: true,
      retentionDays: 30,
      log: (m) => logs.push(m),
      cron: (_n, _s, options) =>
        new Promise((resolve) => options.signal?.addEventListener("abort", () => resolve())),
    });
    await scheduler.start();
    await scheduler.idle();
    await scheduler.stop();
    const left = await store.listChecks({});
    assert.deepEqual(left.map((c) => c.model_id), ["a/a:free"], "only the new scan's check");
    assert.ok(logs.some((l) => l === "retention: pruned 2 raw checks"), logs.join("\n"));
    // The rollups still hold the pruned checks.
    const rs = await store.client.execute(
      "SELECT SUM(checks) AS n FROM rollups WHERE model_key = 0 AND grain = 1",
    );
    assert.equal(rs.rows[0].n, 3);
  } finally {
    store.close();
    await fake.close();
    await db.cleanup();
  }
});
