/**
 * The remote path (OPENROUTER_SCOUT_DATABASE_URL=libsql://…, as on Deno Deploy or several
 * regions sharing one database), against tests/fake_libsql.ts: a Hrana-over-HTTP server backed
 * by a real libSQL file.
 */
import assert from "node:assert/strict";
import { LATEST_VERSION } from "../../lib/db/migrations.ts";
import { openStore } from "../../lib/db/open.ts";
import { StoreError } from "../../lib/db/errors.ts";
import { startFakeLibsql } from "../fake_libsql.ts";
import { check, model } from "./helpers.ts";

const TOKEN = "remote-token-0123456789abcdef";

Deno.test("a remote database: migrated, written and read over HTTP, every request with the token", async () => {
  await using remote = await startFakeLibsql({ token: TOKEN });
  const store = await openStore({ url: remote.url, authToken: TOKEN });
  try {
    const version = remote.db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get();
    assert.equal(Number(version?.v), LATEST_VERSION);

    const runId = await store.startRun({ trigger: "cli", started_at: 1_000, region: "eu-west" });
    await store.syncCatalog([model("a/a:free")], 1_000, runId);
    await store.insertCheck(runId, check("a/a:free", { checked_at: 1_100, latency_ms: 700 }));
    await store.finishRun(runId, { status: "completed", finished_at: 2_000 });

    const [run] = await store.listRuns(1);
    assert.equal(run.status, "completed");
    assert.equal(run.ok_count, 1);
    assert.equal(run.region, "eu-west");
    const [c] = await store.listChecks({ modelId: "a/a:free" });
    assert.equal(c.latency_ms, 700);
    assert.equal(c.checked_at, 1_100, "an integer column stays an integer across the wire");
    const tagged = remote.db.prepare("SELECT region FROM checks").get();
    assert.equal(tagged?.region, "eu-west", "the check carries its run's region");
    assert.equal(await store.lastRunStartedAt("eu-west"), 1_000);
    assert.equal(await store.lastRunStartedAt(null), null);

    assert.ok(remote.pipelines > 5);
    assert.ok(remote.authHeaders.every((h) => h === `Bearer ${TOKEN}`));
  } finally {
    store.close();
  }
});

Deno.test("a remote database: the scan lease holds across clients, one per region", async () => {
  await using remote = await startFakeLibsql({ token: TOKEN });
  const a = await openStore({ url: remote.url, authToken: TOKEN });
  const b = await openStore({ url: remote.url, authToken: TOKEN });
  try {
    assert.equal(await a.acquireLease("scan:eu", "A", 1_000, 10_000), true);
    assert.equal(await b.acquireLease("scan:eu", "B", 2_000, 10_000), false);
    assert.equal(await b.acquireLease("scan:us", "B", 2_000, 10_000), true, "another region");
  } finally {
    a.close();
    b.close();
  }
});

Deno.test("a remote database refused or unreachable: one line, never the token", async () => {
  await using remote = await startFakeLibsql({ token: TOKEN });
  const wrong = "wrong-token-9876543210fedcba";
  const refused = await openStore({ url: remote.url, authToken: wrong }).then(
    () => null,
    (e) => e,
  );
  assert.ok(refused instanceof StoreError);
  assert.doesNotMatch(refused.message, /\n/);
  assert.ok(!refused.message.includes(wrong));
  assert.match(refused.message, /libsql:\/\/127\.0\.0\.1:\d+/, "names the database, not the query");
  assert.doesNotMatch(refused.message, /tls=0/);

  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const down = await openStore({
    url: `libsql://127.0.0.1:${closedPort}?tls=0`,
    authToken: TOKEN,
  }).then(() => null, (e) => e);
  assert.ok(down instanceof StoreError);
  assert.doesNotMatch(down.message, /\n/);
  assert.ok(!down.message.includes(TOKEN));
});
