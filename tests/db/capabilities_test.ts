/** Migration 9 and the verified-capability store: attempts, verdicts, change events, due checks. */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { migrate, MIGRATIONS } from "../../lib/db/migrations.ts";
import {
  dueCapabilityChecks,
  latestCapabilities,
  listCapabilityChecks,
  recordCapabilityCheck,
} from "../../lib/db/capabilities.ts";
import { readDataVersion } from "../../lib/db/data_version.ts";
import { pruneChecks } from "../../lib/db/retention.ts";
import { listEvents } from "../../lib/db/catalog.ts";
import type { CapabilityCheckInput } from "../../lib/db/capabilities.ts";

async function migrated() {
  const client = createClient({ url: ":memory:" });
  await client.execute("PRAGMA foreign_keys = ON");
  await migrate(client);
  return client;
}

function attempt(over: Partial<CapabilityCheckInput> = {}): CapabilityCheckInput {
  return {
    model_id: "a/m:free",
    capability: "tools",
    verified: true,
    detail: null,
    category: null,
    fault: null,
    checked_at: 1_000,
    run_id: null,
    ...over,
  };
}

Deno.test("migration 9 on a version-8 database keeps catalog events, alert events and deliveries", async () => {
  const client = createClient({ url: ":memory:" });
  await client.execute("PRAGMA foreign_keys = ON");
  await migrate(client, 0, MIGRATIONS.filter((m) => m.version <= 8));
  await client.batch([
    `INSERT INTO runs (id, started_at, status, "trigger") VALUES (1, 0, 'completed', 'cli')`,
    `INSERT INTO catalog_events (id, model_id, kind, at, run_id) VALUES (7, 'a/m:free', 'added', 5, 1)`,
    `INSERT INTO alert_events (id, kind, model_id, at, run_id, dedupe_key, title, message)
      VALUES (3, 'model_down', 'a/m:free', 6, 1, 'k1', 'down', 'it is down')`,
    `INSERT INTO alert_deliveries (id, event_id, target, status, next_attempt_at, created_at)
      VALUES (4, 3, 't', 'pending', 9, 9)`,
  ], "write");
  await migrate(client);

  const events = await listEvents(client);
  assert.deepEqual(events.map((e) => [e.id, e.kind, e.run_id, e.detail]), [[7, "added", 1, null]]);
  const alerts = await client.execute("SELECT id, kind, dedupe_key FROM alert_events");
  assert.deepEqual(alerts.rows.map((r) => [r.id, r.kind, r.dedupe_key]), [[3, "model_down", "k1"]]);
  const deliveries = await client.execute("SELECT id, event_id, status FROM alert_deliveries");
  assert.deepEqual(deliveries.rows.map((r) => [r.id, r.event_id, r.status]), [[4, 3, "pending"]]);
  // The deliveries' foreign key points at the rebuilt table: deleting the event cascades.
  await client.execute("DELETE FROM alert_events WHERE id = 3");
  const left = await client.execute("SELECT COUNT(*) AS n FROM alert_deliveries");
  assert.deepEqual(left.rows[0].n, 0);
  // The new kinds are admitted.
  await client.execute(
    `INSERT INTO alert_events (kind, model_id, at, dedupe_key, title, message)
      VALUES ('capability_lost', 'a/m:free', 8, 'k2', 't', 'm')`,
  );
  // The data-version triggers were recreated on the rebuilt tables.
  const before = await readDataVersion(client);
  await client.execute(
    "INSERT INTO catalog_events (model_id, kind, at) VALUES ('b/m:free', 'removed', 9)",
  );
  assert(before !== await readDataVersion(client));
  client.close();
});

Deno.test("an attempt is stored; a conclusive one becomes the verdict, an inconclusive one not", async () => {
  const client = await migrated();
  const first = await recordCapabilityCheck(client, attempt({ verified: true, checked_at: 1_000 }));
  assert.deepEqual([first.previous, first.eventId], [null, null]);
  const failed = await recordCapabilityCheck(
    client,
    attempt({ verified: null, category: "rate_limited", fault: "account", checked_at: 2_000 }),
  );
  assert.deepEqual(failed.previous, true);
  const latest = await latestCapabilities(client);
  assert.deepEqual(latest.get("a/m:free"), {
    tools: { verified: true, checked_at: 1_000, detail: null },
  });
  const rows = await listCapabilityChecks(client);
  assert.deepEqual(rows.map((r) => [r.verified, r.category, r.fault]), [
    [true, null, null],
    [null, "rate_limited", "account"],
  ]);
  const attemptAt = await client.execute("SELECT last_attempt_at FROM model_capabilities");
  assert.deepEqual(attemptAt.rows[0].last_attempt_at, 2_000);
  client.close();
});

Deno.test("a changed verdict writes capability_lost / capability_gained and bumps the data version", async () => {
  const client = await migrated();
  await recordCapabilityCheck(client, attempt({ verified: true, checked_at: 1_000 }));
  const same = await recordCapabilityCheck(client, attempt({ verified: true, checked_at: 2_000 }));
  assert.deepEqual(same.eventId, null);
  const v0 = await readDataVersion(client);
  const lost = await recordCapabilityCheck(
    client,
    attempt({ verified: false, detail: "answered in prose", checked_at: 3_000, run_id: null }),
  );
  assert.deepEqual(lost.previous, true);
  assert(lost.eventId !== null);
  assert(v0 !== await readDataVersion(client));
  const gained = await recordCapabilityCheck(
    client,
    attempt({ verified: true, checked_at: 4_000 }),
  );
  assert(gained.eventId !== null);
  const events = await listEvents(client);
  assert.deepEqual(events.map((e) => [e.kind, e.detail, e.at]), [
    ["capability_gained", "tools", 4_000],
    ["capability_lost", "tools", 3_000],
  ]);
  const latest = await latestCapabilities(client, ["a/m:free", "other"]);
  assert.deepEqual(latest.get("a/m:free")?.tools?.verified, true);
  assert.deepEqual(latest.has("other"), false);
  client.close();
});

Deno.test("a long detail is cut to 120 characters and control characters dropped", async () => {
  const client = await migrated();
  await recordCapabilityCheck(
    client,
    attempt({ verified: false, detail: "x\u0000y\n" + "z".repeat(300) }),
  );
  const d = (await latestCapabilities(client)).get("a/m:free")?.tools?.detail ?? "";
  assert.deepEqual(d.length, 120);
  assert([...d].every((ch) => ch.charCodeAt(0) >= 0x20), "no control characters kept");
  client.close();
});

Deno.test("due checks: none within the interval, inconclusive attempts included", async () => {
  const client = await migrated();
  const day = 86_400_000;
  await recordCapabilityCheck(client, attempt({ capability: "tools", checked_at: 10 * day }));
  await recordCapabilityCheck(
    client,
    attempt({ capability: "json", verified: null, category: "timeout", checked_at: 10 * day }),
  );
  const candidates = [
    { model_id: "a/m:free", capability: "tools" as const },
    { model_id: "a/m:free", capability: "json" as const },
    { model_id: "a/m:free", capability: "vision" as const },
    { model_id: "b/m:free", capability: "tools" as const },
  ];
  assert.deepEqual(
    (await dueCapabilityChecks(client, candidates, 10 * day + 3_600_000, day)).map((c) =>
      `${c.model_id} ${c.capability}`
    ),
    ["a/m:free vision", "b/m:free tools"],
  );
  assert.deepEqual((await dueCapabilityChecks(client, candidates, 11 * day + 1, day)).length, 4);
  client.close();
});

Deno.test("retention prunes capability attempts with the raw checks and keeps the verdicts", async () => {
  const client = await migrated();
  const day = 86_400_000;
  const now = Date.UTC(2026, 11, 7, 12);
  await recordCapabilityCheck(client, attempt({ verified: false, checked_at: now - 40 * day }));
  await recordCapabilityCheck(client, attempt({ capability: "json", checked_at: now - 40 * day }));
  await recordCapabilityCheck(client, attempt({ verified: null, checked_at: now - 2 * day }));
  const report = await pruneChecks(client, { retentionDays: 30, now, pauseMs: 0 });
  assert.equal(report.capabilityChecksDeleted, 2);
  const left = await listCapabilityChecks(client, {});
  assert.deepEqual(left.map((r) => r.checked_at), [now - 2 * day]);
  const verdicts = (await latestCapabilities(client)).get("a/m:free");
  assert.equal(verdicts?.tools?.verified, false, "the latest verdict outlives its attempt");
  assert.equal(verdicts?.json?.verified, true);
  client.close();
});
