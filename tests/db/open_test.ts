import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { LATEST_VERSION, migrate, MIGRATIONS } from "../../lib/db/migrations.ts";
import { StoreError } from "../../lib/db/errors.ts";
import { tempDb } from "./helpers.ts";

Deno.test("migrations are numbered 1, 2, 3 … with no gaps", () => {
  MIGRATIONS.forEach((m, i) => assert.equal(m.version, i + 1));
  assert.equal(LATEST_VERSION, MIGRATIONS.length);
});

Deno.test("open: creates the directory, migrates, sets WAL and the PRAGMAs, has the indexes", async () => {
  const db = await tempDb();
  try {
    const store = await openStore({ path: db.path });
    try {
      const c = store.client;
      const one = async (sql: string) => Object.values((await c.execute(sql)).rows[0])[0];
      assert.equal(await one("PRAGMA journal_mode"), "wal");
      assert.equal(await one("PRAGMA foreign_keys"), 1);
      assert.equal(await one("PRAGMA synchronous"), 1); // NORMAL
      assert.equal(await one("PRAGMA busy_timeout"), 5000);
      assert.equal(await one("SELECT MAX(version) FROM schema_migrations"), LATEST_VERSION);

      const tables = (await c.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
        .rows.map((r) => r.name);
      for (const t of ["runs", "models", "catalog_events", "checks", "schema_migrations"]) {
        assert.ok(tables.includes(t), `table ${t}`);
      }
      const indexes = (await c.execute("SELECT name FROM sqlite_master WHERE type = 'index'"))
        .rows.map((r) => r.name);
      for (
        const i of [
          "idx_runs_started_at",
          "idx_catalog_events_model_at",
          "idx_catalog_events_at",
          "idx_checks_model_time",
          "idx_checks_time",
          "idx_checks_run",
        ]
      ) assert.ok(indexes.includes(i), `index ${i}`);

      const plan = await c.execute({
        sql: `EXPLAIN QUERY PLAN SELECT * FROM checks
          WHERE model_id = ? AND checked_at >= ? AND checked_at < ? ORDER BY checked_at`,
        args: ["a/b:free", 0, 1],
      });
      const detail = plan.rows.map((r) => String(r.detail)).join("\n");
      assert.match(
        detail,
        /USING INDEX idx_checks_model_time \(model_id=\? AND checked_at>\? AND checked_at<\?\)/,
      );
      assert.doesNotMatch(detail, /TEMP B-TREE/); // the index also gives the order
    } finally {
      store.close();
    }
  } finally {
    await db.cleanup();
  }
});

Deno.test("open: a second open is a no-op", async () => {
  const db = await tempDb();
  try {
    const first = await openStore({ path: db.path, now: 1 });
    first.close();
    const second = await openStore({ path: db.path, now: 2 });
    try {
      const report = await migrate(second.client, 3);
      assert.deepEqual(report, { from: LATEST_VERSION, to: LATEST_VERSION, applied: [] });
      const rows =
        (await second.client.execute("SELECT version, applied_at FROM schema_migrations"))
          .rows.map((r) => [r.version, r.applied_at]);
      assert.deepEqual(rows, MIGRATIONS.map((m) => [m.version, 1]));
    } finally {
      second.close();
    }
  } finally {
    await db.cleanup();
  }
});

Deno.test("open: a database from a newer Scouter is refused with a clear message", async () => {
  const db = await tempDb();
  try {
    const store = await openStore({ path: db.path });
    await store.client.execute({
      sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
      args: [LATEST_VERSION + 1, "from the future", 0],
    });
    store.close();
    await assert.rejects(() => openStore({ path: db.path }), (e: unknown) => {
      assert.ok(e instanceof StoreError);
      assert.match(e.message, new RegExp(`schema version ${LATEST_VERSION + 1} is newer`));
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  } finally {
    await db.cleanup();
  }
});

Deno.test("open: a failing migration rolls back and names itself", async () => {
  const store = await openStore({ path: ":memory:" });
  try {
    const broken = [...MIGRATIONS, {
      version: LATEST_VERSION + 1,
      name: "broken",
      sql: ["CREATE TABLE half_done (x)", "THIS IS NOT SQL"],
    }];
    await assert.rejects(() => migrate(store.client, 0, broken), /migration \d+ \(broken\) failed/);
    const half = await store.client.execute(
      "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'half_done'",
    );
    assert.equal(half.rows[0].n, 0);
  } finally {
    store.close();
  }
});

Deno.test("open: file: URLs and paths with URL-special characters", async () => {
  const db = await tempDb();
  try {
    const odd = `${db.dir}/odd #1?/a%20b.db`;
    const s1 = await openStore({ path: odd });
    await s1.startRun({ trigger: "cli", started_at: 5 });
    s1.close();
    assert.ok((await Deno.stat(odd)).isFile);

    const s2 = await openStore({ url: `file:${db.dir}/via-url/x.db` });
    s2.close();
    assert.ok((await Deno.stat(`${db.dir}/via-url/x.db`)).isFile);
  } finally {
    await db.cleanup();
  }
});

Deno.test("open: concurrent statements all see the connection PRAGMAs", async () => {
  // The client's pool opens a fresh connection (libsql defaults: synchronous=FULL, no busy
  // timeout) for each call made while another is in flight, unless it is limited to one.
  const db = await tempDb();
  const store = await openStore({ path: db.path });
  try {
    const sync = await Promise.all(
      Array.from({ length: 20 }, () => store.client.execute("PRAGMA synchronous")),
    );
    assert.deepEqual(sync.map((r) => r.rows[0].synchronous), Array(20).fill(1));
    const busy = await Promise.all(
      Array.from({ length: 20 }, () => store.client.execute("PRAGMA busy_timeout")),
    );
    assert.deepEqual(busy.map((r) => r.rows[0].timeout), Array(20).fill(5000));
  } finally {
    store.close();
    await db.cleanup();
  }
});

Deno.test("open: errors are one line and never show the auth token", async () => {
  const token = "sekrit-token-123";
  for (
    const url of [
      `postgres://user:${token}@db.example/x`,
      `libsql://127.0.0.1:1?authToken=${token}`,
      `file://evil.host/x.db?authToken=${token}`,
    ]
  ) {
    await assert.rejects(() => openStore({ url, authToken: token }), (e: unknown) => {
      assert.ok(e instanceof StoreError, String(e));
      assert.ok(!e.message.includes(token), e.message);
      assert.ok(!e.message.includes("\n"), e.message);
      return true;
    });
  }
});
