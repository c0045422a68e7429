/** A verified capability that is lost is an alert (capability_lost); one gained is not. */
import assert from "node:assert/strict";
import { runAlertPass } from "../../lib/alerts/engine.ts";
import { eventJson, formatWebhook } from "../../lib/alerts/format.ts";
import { openTestStore, seedStore } from "../seed.ts";

const T0 = Date.UTC(2026, 10, 20, 0);
const RULES = { downAfter: 3, recoverAfter: 2, expiryDays: 7 };

Deno.test("capability_lost: an alert with the capability and the failed check's detail", async () => {
  await using db = await openTestStore();
  await seedStore(db.store, { models: [{ id: "a/a:free", name: "Alpha" }] });
  // The first sync's models are not news; a first verdict is no event at all.
  await runAlertPass(db.store, RULES, T0, "t");
  const row = {
    model_id: "a/a:free",
    capability: "tools" as const,
    detail: null,
    category: null,
    fault: null,
    run_id: null,
  };
  await db.store.recordCapabilityCheck({ ...row, verified: true, checked_at: T0 + 1 });
  assert.deepEqual(await runAlertPass(db.store, RULES, T0 + 2, "t"), []);
  await db.store.recordCapabilityCheck({
    ...row,
    verified: false,
    detail: "answered in prose",
    checked_at: T0 + 3,
  });
  const lost = await runAlertPass(db.store, RULES, T0 + 4, "t");
  assert.deepEqual(lost.map((e) => e.kind), ["capability_lost"]);
  assert.equal(lost[0].title, "Alpha fails its tools check");
  assert.match(lost[0].message, /latest one failed: answered in prose\./);
  assert.deepEqual(lost[0].details.capability, "tools");
  assert.equal(eventJson(lost[0]).kind, "capability_lost");
  // Every webhook medium formats it.
  for (const format of ["json", "discord", "slack", "ntfy"] as const) {
    assert.ok(formatWebhook(format, lost[0]).body.length > 0, format);
  }
  // Gained again: a catalog event, no alert.
  await db.store.recordCapabilityCheck({ ...row, verified: true, checked_at: T0 + 5 });
  assert.deepEqual(await runAlertPass(db.store, RULES, T0 + 6, "t"), []);
  const kinds = (await db.store.listEvents({ modelId: "a/a:free" })).map((e) => e.kind);
  assert.deepEqual(kinds.filter((k) => k.startsWith("capability")), [
    "capability_gained",
    "capability_lost",
  ]);
});
