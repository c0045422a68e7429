import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { tempDb } from "./helpers.ts";

Deno.test("leases: one holder at a time; renew, expiry and release", async () => {
  const db = await tempDb();
  const a = await openStore({ path: db.path });
  const b = await openStore({ path: db.path }); // a second process, as far as SQLite knows
  try {
    assert.equal(await a.acquireLease("scan", "A", 1_000, 10_000), true);
    assert.equal(await b.acquireLease("scan", "B", 2_000, 10_000), false, "held by A");
    assert.equal(await a.acquireLease("scan", "A", 3_000, 10_000), true, "A may take it again");
    assert.equal((await b.getLease("scan", 3_000))?.holder, "A");
    assert.equal((await b.getLease("scan", 3_000))?.acquired_at, 1_000);
    assert.equal(await a.renewLease("scan", "A", 12_000, 10_000), true);
    assert.equal(await b.acquireLease("scan", "B", 20_000, 10_000), false, "renewed until 22 000");
    assert.equal(await b.acquireLease("scan", "B", 22_000, 10_000), true, "expired: free");
    assert.equal(await a.renewLease("scan", "A", 23_000, 10_000), false, "A lost it");
    await a.releaseLease("scan", "A"); // not A's any more: no effect
    assert.equal((await a.getLease("scan", 23_000))?.holder, "B");
    await b.releaseLease("scan", "B");
    assert.equal(await a.getLease("scan", 23_000), null);
  } finally {
    a.close();
    b.close();
    await db.cleanup();
  }
});

Deno.test("leases: racing acquirers, exactly one wins", async () => {
  const db = await tempDb();
  const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ path: db.path })));
  try {
    const wins = await Promise.all(
      stores.map((s, i) => s.acquireLease("scan", `P${i}`, 1_000, 10_000)),
    );
    assert.equal(wins.filter(Boolean).length, 1);
  } finally {
    for (const s of stores) s.close();
    await db.cleanup();
  }
});
