/**
 * Issue 15 part 7, for good: failed checks blamed on OpenRouter are not measured in the rollups
 * and the latest state themselves. Four ways to get there give the same rows: the blame known at
 * insert (insertCheck), in bulk (writeBulk), found after the run (setChecksFault re-blaming
 * checks already rolled up), and migration 10 on a database whose rollups counted them as
 * failures.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { type Client, createClient } from "@libsql/client";
import { openStore } from "../../lib/db/open.ts";
import type { Store } from "../../lib/db/store.ts";
import { migrate, MIGRATIONS } from "../../lib/db/migrations.ts";
import { parseHistogram } from "../../lib/db/histogram.ts";
import { rollupStatements, V2 } from "../../lib/db/rollups.ts";
import { checkValues } from "../../lib/db/checks.ts";
import type { CheckResult, CheckStatus } from "../../lib/domain/check.ts";
import { check } from "./helpers.ts";

const T0 = Date.UTC(2026, 10, 20, 7, 0);
const MODELS = ["a/a:free", "b/b:free", "c/c:free"];
const RUNS = 3;
const STATUSES: CheckStatus[] = ["ok", "ok", "timeout", "unavailable", "rate_limited", "skipped"];

const drawn = fc.record({
  checks: fc.array(
    fc.record({
      model: fc.constantFrom(...MODELS),
      run: fc.integer({ min: 0, max: RUNS - 1 }),
      // Ties in time, hours and days apart, in any order.
      at: fc.integer({ min: 0, max: 2 * 24 * 4 }).map((slot) => T0 + slot * 15 * 60_000),
      status: fc.constantFrom(...STATUSES),
      latency: fc.option(fc.integer({ min: 1, max: 30_000 }), { nil: null, freq: 6 }),
    }),
    { minLength: 1, maxLength: 50 },
  ),
  // The (run, model) pairs an incident blames: every failed check of the model in the run.
  blamed: fc.uniqueArray(
    fc.tuple(fc.integer({ min: 0, max: RUNS - 1 }), fc.constantFrom(...MODELS)),
    { maxLength: RUNS * MODELS.length, selector: ([r, m]) => `${r}|${m}` },
  ),
});

type Drawn = typeof drawn extends fc.Arbitrary<infer R> ? R : never;

interface Case {
  check: CheckResult;
  run: number;
}

function cases(d: Drawn): Case[] {
  const blamed = new Set(d.blamed.map(([r, m]) => `${r}|${m}`));
  return d.checks.map((c) => ({
    run: c.run,
    check: check(c.model, {
      checked_at: c.at,
      status: c.status,
      latency_ms: c.latency,
      http_status: c.status === "ok" ? 200 : 502,
      skip_reason: c.status === "skipped" ? "quota" : null,
      // As setChecksFault does: every check of the pair but the ok ones.
      fault: c.status !== "ok" && blamed.has(`${c.run}|${c.model}`) ? "openrouter" : null,
    }),
  }));
}

/** Rollup rows and latest state, comparable across databases (histograms parsed). */
async function derived(client: Pick<Client, "execute">) {
  const rollups = (await client.execute(
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
  const state = (await client.execute("SELECT * FROM model_state ORDER BY model_id")).rows
    .map((r) => ({ ...r, spark: JSON.parse(String(r.spark)) }));
  return { rollups, state };
}

async function withRuns(): Promise<{ store: Store; runs: number[] }> {
  const store = await openStore({ path: ":memory:" });
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await store.startRun({ trigger: "cli", started_at: T0 }));
  }
  return { store, runs };
}

/** The blame known when each check is written. */
async function atInsert(cs: Case[]): Promise<Store> {
  const { store, runs } = await withRuns();
  for (const c of cs) await store.insertCheck(runs[c.run], c.check);
  return store;
}

/** Written without blame, then each blamed pair re-blamed as an incident would. */
async function afterTheRun(cs: Case[], d: Drawn): Promise<Store> {
  const { store, runs } = await withRuns();
  for (const c of cs) await store.insertCheck(runs[c.run], { ...c.check, fault: null });
  for (const [run, model] of d.blamed) await store.setChecksFault(runs[run], [model], "openrouter");
  return store;
}

/**
 * A database as Scouter before migration 10 left it: the same checks (blame included) with
 * their rollups and state as that version counted them (blamed failures as failures), then
 * migrated to the latest version.
 */
async function migrated(cs: Case[]): Promise<Client> {
  const client = createClient({ url: ":memory:" });
  await migrate(client, 0, MIGRATIONS.filter((m) => m.version < 10));
  for (let i = 1; i <= RUNS; i++) {
    await client.execute({
      sql: `INSERT INTO runs (id, started_at, status, "trigger") VALUES (?, ?, 'completed', 'cli')`,
      args: [i, T0],
    });
  }
  for (const c of cs) {
    const rs = await client.execute({
      sql: `INSERT INTO checks (run_id, model_id, checked_at, status, ok, http_status, latency_ms,
        ttft_ms, attempts, output_tokens, tokens_per_second, provider, error, skip_reason, answer,
        fault) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      args: [c.run + 1, ...checkValues(c.check), c.check.fault ?? null],
    });
    await client.batch(rollupStatements(`c.id = ${Number(rs.rows[0].id)}`, V2), "write");
  }
  await migrate(client);
  return client;
}

Deno.test("not measured: blame at insert, in bulk, after the run and by migration 10 give the same rollups and state", async () => {
  await fc.assert(
    fc.asyncProperty(drawn, async (d) => {
      const cs = cases(d);
      const one = await atInsert(cs);
      const later = await afterTheRun(cs, d);
      const bulk = await openStore({ path: ":memory:" });
      await bulk.writeBulk([{
        started_at: T0,
        finished_at: T0,
        status: "completed",
        trigger: "cli",
        checks: cs.map((c) => c.check),
      }]);
      const old = await migrated(cs);
      try {
        const expected = await derived(one.client);
        assert.deepEqual(await derived(later.client), expected, "re-blamed after the run");
        assert.deepEqual(await derived(old), expected, "migration 10");
        // Bulk gives its checks other run ids: the rows it derives do not depend on them.
        assert.deepEqual(await derived(bulk.client), expected, "bulk");
        // Not measured, counted apart: every blamed failure, in no failure column.
        const blamed = cs.filter((c) =>
          c.check.fault === "openrouter" && c.check.status !== "skipped"
        );
        const rs = await one.client.execute(
          "SELECT SUM(openrouter) AS n, SUM(checks) AS m FROM rollups WHERE model_key = 0 AND grain = 1",
        );
        assert.equal(Number(rs.rows[0].n ?? 0), blamed.length);
        const measured = cs.filter((c) => c.check.status !== "skipped").length - blamed.length;
        assert.equal(Number(rs.rows[0].m ?? 0), measured);
      } finally {
        one.close();
        later.close();
        bulk.close();
        old.close();
      }
    }),
    { numRuns: 40 },
  );
});

Deno.test("not measured: blaming someone else afterwards puts OpenRouter's checks back among the failures", async () => {
  const m = "a/a:free";
  const cs: Case[] = [
    { run: 0, check: check(m, { checked_at: T0, status: "ok", latency_ms: 500 }) },
    { run: 1, check: check(m, { checked_at: T0 + 3_600_000, status: "unavailable" }) },
    { run: 2, check: check(m, { checked_at: T0 + 7_200_000, status: "timeout" }) },
  ];
  const plain = await atInsert(cs);
  const { store, runs } = await withRuns();
  try {
    for (const c of cs) await store.insertCheck(runs[c.run], { ...c.check, fault: "openrouter" });
    const [s] = (await store.client.execute("SELECT streak, last_status FROM model_state")).rows;
    assert.equal(s.streak, 0, "not measured: no streak");
    assert.equal(s.last_status, "ok");
    await store.setChecksFault(runs[1], [m], "upstream");
    await store.setChecksFault(runs[2], [m], "model");
    assert.deepEqual(await derived(store.client), await derived(plain.client));
    const [t] = (await store.client.execute("SELECT streak, last_status FROM model_state")).rows;
    assert.equal(t.streak, 2);
    assert.equal(t.last_status, "timeout");
  } finally {
    store.close();
    plain.close();
  }
});
