/** Issue 15 part 8: a dead process's run turns `interrupted` when its heartbeat goes stale. */
import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { SCAN_LEASE } from "../../lib/scan/lease.ts";
import { STALE_RUN_MS } from "../../lib/scan/liveness.ts";
import type { CronRegister } from "../../lib/schedule/cron.ts";
import type { Timers } from "../../lib/schedule/dead_run_watch.ts";
import { createScheduler } from "../../lib/schedule/scheduler.ts";
import { FAST_SETTINGS } from "../scan/helpers.ts";

const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);

/** A clock and timers that move only when told. */
function fakeTime() {
  let t = T0;
  let nextId = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    set(fn, ms) {
      const id = nextId++;
      pending.set(id, { at: t + ms, fn });
      return id;
    },
    clear(id) {
      pending.delete(id as number);
    },
  };
  return {
    timers,
    now: () => t,
    set: (at: number) => t = at,
    dueAt: () => [...pending.values()].map((p) => p.at).sort((a, b) => a - b),
    /** Moves to `at` and fires the timers due by then. */
    async advance(at: number) {
      t = at;
      for (const [id, p] of [...pending]) {
        if (p.at <= t) {
          pending.delete(id);
          p.fn();
        }
      }
      // The sweep is a few awaits of the database.
      for (let i = 0; i < 50; i++) await new Promise((r) => setTimeout(r, 2));
    },
  };
}

const idleCron: CronRegister = (_n, _s, options) =>
  new Promise((resolve) => options.signal?.addEventListener("abort", () => resolve()));

Deno.test("a killed scan's run is interrupted at its last heartbeat + STALE_RUN_MS, not at a tick", async () => {
  const dir = await Deno.makeTempDir({ prefix: "scouter-deadrun-" });
  const store = await openStore({ path: `${dir}/s.db` });
  const time = fakeTime();
  const logs: string[] = [];
  const scheduler = createScheduler({
    store,
    openrouter: null,
    settings: FAST_SETTINGS,
    timing: { kind: "interval", everyMs: 3_600_000 },
    scanOnStart: false,
    log: (m) => logs.push(m),
    cron: idleCron,
    now: time.now,
    timers: time.timers,
  });
  try {
    // The process killed 5 s after its last heartbeat; its lease renewed at the same time,
    // lasting 20 s from T0 - 1 s (longer than the heartbeat: the status must not trust it).
    const lastBeat = T0 - 5_000;
    const runId = await store.startRun({ trigger: "schedule", started_at: T0 - 60_000 });
    await store.heartbeat(runId, lastBeat);
    assert.ok(await store.acquireLease(SCAN_LEASE, "dead-host:1:x", T0 - 1_000, STALE_RUN_MS));

    await scheduler.start();
    assert.deepEqual(time.dueAt(), [lastBeat + STALE_RUN_MS + 250]);
    const before = await scheduler.status();
    assert.equal(before.running?.run_id, runId, "still within its heartbeat window: running");

    // Stale heartbeat, lease still valid: the status no longer calls it running.
    time.set(lastBeat + STALE_RUN_MS + 1);
    assert.ok(await store.getLease(SCAN_LEASE, time.now()), "the lease alone would say alive");
    assert.equal((await scheduler.status()).running, null);
    assert.equal((await store.getRun(runId))?.status, "running", "the timer has not fired yet");

    await time.advance(lastBeat + STALE_RUN_MS + 250);
    const run = await store.getRun(runId);
    assert.equal(run?.status, "interrupted");
    assert.equal(run?.finished_at, lastBeat, "it ended at its last sign of life");
    assert.deepEqual(time.dueAt(), [], "nothing left to wait for");
    assert.ok(logs.some((l) => /marked 1 abandoned run/.test(l)), logs.join("\n"));
  } finally {
    await scheduler.stop();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the watch re-arms for a run that is still beating, and stops with the scheduler", async () => {
  const dir = await Deno.makeTempDir({ prefix: "scouter-deadrun-" });
  const store = await openStore({ path: `${dir}/s.db` });
  const time = fakeTime();
  const scheduler = createScheduler({
    store,
    openrouter: null,
    settings: FAST_SETTINGS,
    timing: { kind: "interval", everyMs: 3_600_000 },
    scanOnStart: false,
    log: () => {},
    cron: idleCron,
    now: time.now,
    timers: time.timers,
  });
  try {
    const runId = await store.startRun({ trigger: "cli", started_at: T0 });
    await scheduler.start();
    assert.deepEqual(time.dueAt(), [T0 + STALE_RUN_MS + 250]);
    // The other process is alive: it beats just before the deadline.
    await store.heartbeat(runId, T0 + STALE_RUN_MS - 1_000);
    await time.advance(T0 + STALE_RUN_MS + 250);
    assert.equal((await store.getRun(runId))?.status, "running");
    assert.deepEqual(time.dueAt(), [T0 + 2 * STALE_RUN_MS - 1_000 + 250]);
    await scheduler.stop();
    assert.deepEqual(time.dueAt(), [], "stop() clears the timer");
  } finally {
    await scheduler.stop();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
