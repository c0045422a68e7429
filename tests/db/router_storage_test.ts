/** The router's storage: migration 11 (hourly counters), traffic checks through the one INSERT. */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { migrate, MIGRATIONS } from "../../lib/db/migrations.ts";
import {
  addRouterHour,
  HOUR_MS,
  insertTrafficChecks,
  routerHours,
  trafficRunId,
} from "../../lib/db/router.ts";
import type { Fault } from "../../lib/domain/check.ts";
import { check } from "./helpers.ts";
import { openTestStore } from "../seed.ts";

const T = Date.parse("2026-12-01T10:00:00Z");
const ZERO = {
  requests: 0,
  answered: 0,
  failovers: 0,
  account_limit_waits: 0,
  account_limit_refusals: 0,
};

Deno.test("migration 11 runs on a database that holds checks, and keeps them", async () => {
  const client = createClient({ url: ":memory:" });
  try {
    await migrate(client, 0, MIGRATIONS.filter((m) => m.version < 11));
    await client.execute(
      `INSERT INTO runs (id, started_at, status, "trigger") VALUES (1, 0, 'completed', 'api')`,
    );
    for (const [i, source] of ["probe", "traffic", "traffic"].entries()) {
      await client.execute({
        sql: `INSERT INTO checks (run_id, model_id, checked_at, status, ok, source)
          VALUES (1, 'a/a:free', ?, 'ok', 1, ?)`,
        args: [T + i, source],
      });
    }
    const report = await migrate(client);
    assert.ok(report.applied.includes(11), `applied ${report.applied}`);
    const kept = await client.execute("SELECT source, COUNT(*) AS n FROM checks GROUP BY source");
    assert.deepEqual(kept.rows.map((r) => [r.source, Number(r.n)]), [["probe", 1], [
      "traffic",
      2,
    ]]);
    // The new index serves the traffic checks by time.
    const plan = await client.execute(
      `EXPLAIN QUERY PLAN SELECT COUNT(*) FROM checks WHERE source = 'traffic'
        AND checked_at >= 0 AND checked_at <= ${T + 10}`,
    );
    assert.match(JSON.stringify(plan.rows), /idx_checks_traffic/);
    assert.deepEqual(await routerHours(client, 0, T * 2), []);
  } finally {
    client.close();
  }
});

Deno.test("addRouterHour adds to the UTC hour of its time; routerHours reads [from, to)", async () => {
  await using db = await openTestStore({ memory: true });
  const c = db.store.client;
  await addRouterHour(c, T + 5 * 60_000, {
    ...ZERO,
    requests: 3,
    answered: 2,
    failovers: 1,
    account_limit_refusals: 1,
  });
  await addRouterHour(c, T + 59 * 60_000, { ...ZERO, requests: 2, answered: 2 });
  await addRouterHour(c, T + HOUR_MS, {
    ...ZERO,
    requests: 1,
    answered: 0,
    account_limit_waits: 4,
  });
  // A negative or fractional delta is no count: never subtracted.
  await addRouterHour(c, T, { ...ZERO, requests: -7.5 });
  assert.deepEqual(await routerHours(c, T, T + 2 * HOUR_MS), [
    {
      hour: T,
      requests: 5,
      answered: 4,
      failovers: 1,
      account_limit_waits: 0,
      account_limit_refusals: 1,
    },
    {
      hour: T + HOUR_MS,
      requests: 1,
      answered: 0,
      failovers: 0,
      account_limit_waits: 4,
      account_limit_refusals: 0,
    },
  ]);
  assert.equal((await routerHours(c, T + HOUR_MS, T + 2 * HOUR_MS)).length, 1);
});

Deno.test("traffic checks go through insertCheck's statement: source 'traffic', no answer, a bad fault dropped", async () => {
  await using db = await openTestStore({ memory: true });
  const runId = await trafficRunId(db.store.client);
  await insertTrafficChecks(db.store.client, runId, [
    check("a/a:free", { checked_at: T, answer: "private words" }),
    // A value from a newer version, on purpose.
    check("a/a:free", {
      checked_at: T + 1,
      status: "timeout",
      fault: "martians" as unknown as Fault,
    }),
  ]);
  const probeRun = await db.store.startRun({ trigger: "cli", started_at: T });
  await db.store.insertCheck(probeRun, check("a/a:free", { checked_at: T + 2 }));
  const rows = await db.store.listChecks({ modelId: "a/a:free" });
  assert.deepEqual(rows.map((r) => [r.source, r.status, r.answer, r.fault]), [
    ["traffic", "ok", null, null],
    ["traffic", "timeout", null, null],
    ["probe", "ok", rows[2].answer, null],
  ]);
  // A probe with an unknown fault is still refused.
  await assert.rejects(
    () =>
      db.store.insertCheck(
        probeRun,
        check("a/a:free", { status: "timeout", fault: "x" as unknown as Fault }),
      ),
    /unknown fault/,
  );
});
