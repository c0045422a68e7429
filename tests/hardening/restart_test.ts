/**
 * A restart right after a crash: the dead process's scan lease outlives it by up to
 * SCAN_LEASE_TTL_MS, so the scan on start finds the database "busy". It must not be lost: the
 * next cron tick after the lease expired runs it (and closes the dead run), unless another
 * process completed a scan meanwhile.
 */
import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import type { Store } from "../../lib/db/store.ts";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import { SCAN_LEASE, SCAN_LEASE_TTL_MS } from "../../lib/scan/lease.ts";
import type { CronRegister } from "../../lib/schedule/cron.ts";
import { createScheduler } from "../../lib/schedule/scheduler.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { FAST_SETTINGS, TEST_KEY } from "../scan/helpers.ts";

const LEASE_LEFT_MS = 400;

/** A run and a lease left by a process killed 30 s ago, the lease still valid briefly. */
async function deadProcess(store: Store): Promise<number> {
  const t = Date.now();
  const runId = await store.startRun({ trigger: "schedule", started_at: t - 30_000 });
  await store.acquireLease(
    SCAN_LEASE,
    "dead-host:1:x",
    t - SCAN_LEASE_TTL_MS + LEASE_LEFT_MS,
    SCAN_LEASE_TTL_MS,
  );
  return runId;
}

async function world() {
  const fake = await startFakeOpenRouter({ models: [{ id: "a/a:free" }], apiKey: TEST_KEY });
  const dir = await Deno.makeTempDir({ prefix: "scouter-restart-" });
  const store = await openStore({ path: `${dir}/s.db` });
  const logs: string[] = [];
  let fire: () => Promise<void> = () => Promise.resolve();
  const cron: CronRegister = (_n, _s, options, handler) => {
    fire = handler;
    return new Promise((resolve) => options.signal?.addEventListener("abort", () => resolve()));
  };
  const scheduler = createScheduler({
    store,
    openrouter: createOpenRouterClient({ baseUrl: fake.url, apiKey: TEST_KEY }),
    settings: FAST_SETTINGS,
    timing: { kind: "interval", everyMs: 3_600_000 },
    scanOnStart: true,
    log: (m) => logs.push(m),
    cron,
  });
  return {
    store,
    scheduler,
    logs,
    tick: async () => {
      await fire();
      await scheduler.idle();
    },
    async [Symbol.asyncDispose]() {
      await scheduler.stop();
      store.close();
      await fake.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("a scan on start blocked by a dead process's lease runs at the first tick after it expires", async () => {
  await using w = await world();
  const dead = await deadProcess(w.store);
  await w.scheduler.start();
  await w.scheduler.idle();
  assert.ok(w.logs.some((l) => /scan on start waits/.test(l)), w.logs.join("\n"));
  assert.equal((await w.store.listRuns(10)).length, 1, "nothing ran yet");

  await w.tick(); // the lease is still valid: still waiting, but the silent run is closed
  assert.equal((await w.store.getRun(dead))?.status, "interrupted");
  assert.equal((await w.store.listRuns(10)).length, 1);

  await new Promise((r) => setTimeout(r, LEASE_LEFT_MS + 100));
  await w.tick();
  const [run] = await w.store.listRuns(1);
  assert.notEqual(run.id, dead);
  assert.equal(run.status, "completed");
  assert.equal(run.trigger, "schedule");

  await w.tick(); // done: the interval rules again (the next scan is an hour away)
  assert.equal((await w.store.listRuns(10)).length, 2);
});

Deno.test("a pending scan on start is dropped when another process completed a scan", async () => {
  await using w = await world();
  await deadProcess(w.store);
  await w.scheduler.start();
  await w.scheduler.idle();
  // Another process scans once the lease is free (here: by hand).
  await new Promise((r) => setTimeout(r, LEASE_LEFT_MS + 100));
  const other = await w.store.startRun({ trigger: "cli", started_at: Date.now() });
  await w.store.finishRun(other, { status: "completed", finished_at: Date.now() });
  await w.tick();
  await w.tick();
  const runs = await w.store.listRuns(10);
  assert.equal(runs.length, 2, "no scan right after the other process's");
  assert.equal(runs[0].id, other);
});
