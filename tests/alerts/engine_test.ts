import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { runAlertPass } from "../../lib/alerts/engine.ts";
import { listAlertEvents } from "../../lib/db/alert_events.ts";
import { readCursors } from "../../lib/db/alert_state.ts";
import { migrate, MIGRATIONS } from "../../lib/db/migrations.ts";
import { openStore } from "../../lib/db/open.ts";
import type { Store } from "../../lib/db/store.ts";
import { model } from "../db/helpers.ts";
import { openTestStore, type SeedCheck, seedStore } from "../seed.ts";

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 20, 0);
const RULES = { downAfter: 3, recoverAfter: 2, expiryDays: 7 };

const seq = (id: string, start: number, statuses: SeedCheck["status"][]): SeedCheck[] =>
  statuses.map((status, i) => ({ model_id: id, checked_at: start + i * H, status }));

const pass = (store: Store, now: number, holder = "test") =>
  runAlertPass(store, RULES, now, holder);

Deno.test("one event per state change: down, then recovered; a second pass adds nothing", async () => {
  await using db = await openTestStore();
  await seedStore(db.store, {
    models: [{ id: "a/a:free", name: "Alpha" }, { id: "b/b:free", name: "Beta" }],
    checks: [
      ...seq("a/a:free", T0, ["ok", "timeout", "unavailable", "rate_limited", "timeout"]),
      ...seq("b/b:free", T0, ["ok", "timeout", "timeout", "ok", "ok"]),
    ],
  });
  const first = await pass(db.store, T0 + 10 * H);
  assert.deepEqual(first.map((e) => [e.kind, e.model_id]), [["model_down", "a/a:free"]]);
  assert.equal(first[0].title, "Alpha is down");
  assert.deepEqual(first[0].details.failures, ["timeout", "unavailable", "rate_limited"]);
  assert.equal(first[0].at, T0 + 3 * H, "at the check that decided it");
  assert.deepEqual(await pass(db.store, T0 + 10 * H), []);

  await seedStore(db.store, {
    models: [{ id: "a/a:free", name: "Alpha" }, { id: "b/b:free", name: "Beta" }],
    checks: seq("a/a:free", T0 + 5 * H, ["ok", "ok"]),
  });
  const second = await pass(db.store, T0 + 10 * H);
  assert.deepEqual(second.map((e) => e.kind), ["model_recovered"]);
  assert.equal(second[0].details.down_since, T0 + 3 * H);
  assert.match(second[0].message, /answered 2 checks in a row; it was down from .* \(3 h\)/);
  const all = await listAlertEvents(db.store.client);
  assert.deepEqual(all.map((e) => e.kind), ["model_recovered", "model_down"], "newest first");
});

Deno.test("the streaks survive a restart: no lost and no repeated alert", async () => {
  await using db = await openTestStore();
  await seedStore(db.store, { checks: seq("a/a:free", T0, ["ok", "unavailable", "timeout"]) });
  assert.deepEqual(await pass(db.store, T0 + 5 * H), []);

  // Another process on the same file (the server after a restart) carries on.
  const again = await openStore({ path: db.path });
  try {
    await seedStore(again, { checks: seq("a/a:free", T0 + 3 * H, ["rate_limited"]) });
    const events = await pass(again, T0 + 5 * H, "restarted");
    assert.deepEqual(events.map((e) => e.kind), ["model_down"]);
    // The streak began in the earlier pass: it is counted and listed whole.
    assert.equal(events[0].details.streak, 3);
    assert.deepEqual(events[0].details.failures, ["unavailable", "timeout", "rate_limited"]);
    assert.match(
      events[0].message,
      /failed 3 checks in a row \(unavailable, timeout, rate_limited\)/,
    );
    assert.deepEqual(await pass(again, T0 + 5 * H, "restarted"), []);
    assert.deepEqual(await pass(db.store, T0 + 5 * H), []);
  } finally {
    again.close();
  }
});

Deno.test("two processes passing at once record each event once", async () => {
  await using db = await openTestStore();
  await seedStore(db.store, { checks: seq("a/a:free", T0, ["timeout", "timeout", "timeout"]) });
  const other = await openStore({ path: db.path });
  try {
    const [x, y] = await Promise.all([
      pass(db.store, T0 + 5 * H, "p1"),
      pass(other, T0 + 5 * H, "p2"),
    ]);
    // Whoever lost the lease records nothing; a later pass finds nothing new either.
    assert.equal(x.length + y.length, 1);
    assert.deepEqual(await pass(other, T0 + 5 * H, "p2"), []);
    assert.equal((await listAlertEvents(db.store.client)).length, 1);
  } finally {
    other.close();
  }
});

Deno.test("catalog: the first sync is not news; later additions, returns and removals are", async () => {
  await using db = await openTestStore();
  const s = db.store;
  await s.syncCatalog([model("a/a:free"), model("b/b:free")], T0, null);
  assert.deepEqual(await pass(s, T0), [], "the initial population is quiet");

  await s.syncCatalog([model("a/a:free"), model("c/c:free", { name: "Gamma" })], T0 + H, null);
  const changes = await pass(s, T0 + H);
  assert.deepEqual(
    changes.map((e) => [e.kind, e.model_id]).sort(),
    [["model_added", "c/c:free"], ["model_removed", "b/b:free"]],
  );
  assert.equal(changes.find((e) => e.kind === "model_added")?.title, "New free model: Gamma");

  await s.syncCatalog([model("a/a:free"), model("b/b:free"), model("c/c:free")], T0 + 2 * H, null);
  const back = await pass(s, T0 + 2 * H);
  assert.deepEqual(back.map((e) => [e.kind, e.model_id, e.details.returned]), [
    ["model_added", "b/b:free", true],
  ]);
  assert.match(back[0].title, /^Free again: /);
});

Deno.test("expiring: once per model and date, within the warning window only", async () => {
  await using db = await openTestStore();
  const now = Date.UTC(2026, 10, 27, 10);
  await db.store.syncCatalog(
    [
      model("soon/x:free", { name: "Soon", expiration_date: "2026-11-30" }),
      model("today/x:free", { expiration_date: "2026-11-27" }),
      model("later/x:free", { expiration_date: "2026-12-25" }),
      model("past/x:free", { expiration_date: "2026-11-01" }),
    ],
    now - H,
    null,
  );
  const events = await pass(db.store, now);
  assert.deepEqual(
    events.map((e) => [e.model_id, e.details.days_left]).sort(),
    [["soon/x:free", 3], ["today/x:free", 0]],
  );
  assert.equal(
    events.find((e) => e.model_id === "soon/x:free")?.title,
    "Soon stops being free in 3 days",
  );
  assert.deepEqual(await pass(db.store, now + H), [], "the same date warns once");
  // A new date is a new warning.
  await db.store.syncCatalog(
    [
      model("soon/x:free", { expiration_date: "2026-12-01" }),
      model("today/x:free", { expiration_date: "2026-11-27" }),
      model("later/x:free", { expiration_date: "2026-12-25" }),
      model("past/x:free", { expiration_date: "2026-11-01" }),
    ],
    now + 2 * H,
    null,
  );
  assert.deepEqual((await pass(db.store, now + 2 * H)).map((e) => e.details.expiration_date), [
    "2026-12-01",
  ]);
});

Deno.test("upgrading a database with history does not replay it as alerts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "scouter-alerts-" });
  try {
    const client = createClient({ url: `file:${dir}/s.db` });
    await migrate(client, T0, MIGRATIONS.filter((m) => m.version < 3));
    await client.execute({
      sql: `INSERT INTO runs (id, started_at, status, "trigger") VALUES (1, ?, 'completed', 'cli')`,
      args: [T0],
    });
    for (let i = 0; i < 5; i++) {
      await client.execute({
        sql:
          `INSERT INTO checks (run_id, model_id, checked_at, status, ok) VALUES (1, 'a/a:free', ?,
          'timeout', 0)`,
        args: [T0 + i],
      });
    }
    await migrate(client, T0);
    const cursors = await readCursors(client);
    assert.equal(cursors.get("checks"), 5);
    client.close();
    const store = await openStore({ path: `${dir}/s.db` });
    try {
      assert.deepEqual(await pass(store, T0 + H), []);
    } finally {
      store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
