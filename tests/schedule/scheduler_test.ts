import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import { createScheduler } from "../../lib/schedule/scheduler.ts";
import type { CronRegister } from "../../lib/schedule/cron.ts";
import { DISABLED_REASON } from "../../lib/schedule/status_view.ts";
import { describeTiming, nextCronRun, timingOf } from "../../lib/config/timing.ts";
import { type FakeModelSpec, startFakeOpenRouter } from "../fake_openrouter.ts";
import { FAST_SETTINGS, TEST_KEY } from "../scan/helpers.ts";

/** A cron that records what was registered and lets the test fire it. */
function manualCron() {
  const jobs: { name: string; schedule: string; backoff?: number[]; fire: () => Promise<void> }[] =
    [];
  const register: CronRegister = (name, schedule, options, handler) => {
    jobs.push({ name, schedule, backoff: options.backoffSchedule, fire: handler });
    return new Promise((resolve) => options.signal?.addEventListener("abort", () => resolve()));
  };
  return { jobs, register };
}

async function world(models: FakeModelSpec[]) {
  const fake = await startFakeOpenRouter({ models, apiKey: TEST_KEY });
  const dir = await Deno.makeTempDir({ prefix: "scouter-sched-" });
  const store = await openStore({ path: `${dir}/s.db` });
  const logs: string[] = [];
  return {
    fake,
    store,
    dir,
    logs,
    client: createOpenRouterClient({ baseUrl: fake.url, apiKey: TEST_KEY }),
    async [Symbol.asyncDispose]() {
      store.close();
      await fake.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("scan on start, then on the interval; a handler that never throws and no retries", async () => {
  await using w = await world([{ id: "a/a:free" }, { id: "b/b:free" }]);
  const cron = manualCron();
  let now = Date.UTC(2026, 10, 27, 10);
  const scheduler = createScheduler({
    store: w.store,
    openrouter: w.client,
    settings: FAST_SETTINGS,
    timing: { kind: "interval", everyMs: 3_600_000 },
    scanOnStart: true,
    log: (m) => w.logs.push(m),
    cron: cron.register,
    now: () => now,
  });
  await scheduler.start();
  assert.equal(cron.jobs.length, 1);
  assert.equal(cron.jobs[0].schedule, "* * * * *");
  assert.deepEqual(cron.jobs[0].backoff, [], "Deno.cron must not retry a failed scan");
  await scheduler.idle();
  assert.equal((await w.store.listRuns(10)).length, 1);
  const firstStart = (await w.store.listRuns(1))[0].started_at;

  // A minute later nothing is due; an hour after the last start a scan runs.
  now += 60_000;
  await cron.jobs[0].fire();
  await scheduler.idle();
  assert.equal((await w.store.listRuns(10)).length, 1);
  const status = await scheduler.status();
  assert.equal(status.next_scan_at, new Date(firstStart + 3_600_000).toISOString());
  assert.equal(status.schedule, "every 1 h");

  now = firstStart + 3_600_000;
  await cron.jobs[0].fire();
  await scheduler.idle();
  const runs = await w.store.listRuns(10);
  assert.equal(runs.length, 2);
  assert.equal(runs[0].trigger, "schedule");
  assert.equal(runs[0].status, "completed");
  await scheduler.stop();
});

Deno.test("a failed scan is not run again before its next turn", async () => {
  await using w = await world([{ id: "a/a:free" }]);
  w.fake.configure({ catalogFailure: "http_503" });
  const cron = manualCron();
  let now = Date.UTC(2026, 10, 27, 10);
  const scheduler = createScheduler({
    store: w.store,
    openrouter: w.client,
    settings: FAST_SETTINGS,
    timing: { kind: "interval", everyMs: 3_600_000 },
    scanOnStart: true,
    log: (m) => w.logs.push(m),
    cron: cron.register,
    now: () => now,
  });
  await scheduler.start();
  await scheduler.idle();
  for (let i = 0; i < 5; i++) {
    now += 60_000;
    await cron.jobs[0].fire();
    await scheduler.idle();
  }
  const runs = await w.store.listRuns(10);
  assert.equal(runs.length, 1);
  assert.equal(runs[0].status, "failed");
  await scheduler.stop();
});

Deno.test("a scan right after another continues its minute's request count (one pacer)", async () => {
  await using w = await world([{ id: "a/a:free" }, { id: "b/b:free" }]);
  const scheduler = createScheduler({
    store: w.store,
    openrouter: w.client,
    settings: { ...FAST_SETTINGS, rpm: 2 },
    timing: { kind: "interval", everyMs: 3_600_000 },
    scanOnStart: false,
    log: (m) => w.logs.push(m),
    cron: manualCron().register,
  });
  assert.equal(await scheduler.requestScan(), "started");
  await scheduler.idle();
  assert.equal((await w.store.listRuns(1))[0].ok_count, 2, "the first scan used the minute");
  // The second may not send anything until the first scan's requests leave the window.
  assert.equal(await scheduler.requestScan(), "started");
  await new Promise((r) => setTimeout(r, 1_500));
  const status = await scheduler.status();
  assert.equal(status.running?.progress?.done ?? 0, 0, "nothing sent within the same minute");
  assert.equal(w.fake.chatRequests().length, 2);
  await scheduler.stop();
  assert.equal((await w.store.listRuns(1))[0].status, "aborted");
});

Deno.test("requestScan: busy while a scan runs, here or in another process; disabled without a key", async () => {
  await using w = await world([{ id: "slow/a:free", delayMs: 300 }, {
    id: "slow/b:free",
    delayMs: 300,
  }]);
  const other = await openStore({ path: `${w.dir}/s.db` });
  try {
    const make = (store = w.store) =>
      createScheduler({
        store,
        openrouter: w.client,
        settings: { ...FAST_SETTINGS, concurrency: 1 },
        timing: { kind: "interval", everyMs: 3_600_000 },
        scanOnStart: false,
        log: (m) => w.logs.push(m),
        cron: manualCron().register,
      });
    const here = make();
    const elsewhere = make(other);
    // Two requests at the same instant (a cron tick and POST /api/scan): one scan, one "busy".
    const both = await Promise.all([here.requestScan(), here.requestScan()]);
    assert.deepEqual(both.toSorted(), ["busy", "started"]);
    assert.equal(await here.requestScan(), "busy");
    // Let the scan take its lease, then ask from the "other process".
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await elsewhere.requestScan(), "busy");
    const seen = await elsewhere.status();
    assert.ok(seen.running, "the other process sees the running scan");
    await here.idle();
    assert.equal(await elsewhere.requestScan(), "started");
    await elsewhere.idle();
    assert.equal((await w.store.listRuns(10)).length, 2);

    const off = createScheduler({
      store: w.store,
      openrouter: null,
      settings: FAST_SETTINGS,
      timing: { kind: "interval", everyMs: 3_600_000 },
      scanOnStart: true,
      log: (m) => w.logs.push(m),
      cron: manualCron().register,
    });
    await off.start();
    assert.equal(await off.requestScan(), "disabled");
    const status = await off.status();
    assert.equal(status.enabled, false);
    assert.equal(status.disabled_reason, DISABLED_REASON);
    assert.equal(status.next_scan_at, null);
    assert.ok(w.logs.includes(DISABLED_REASON));
  } finally {
    other.close();
  }
});

Deno.test("stop() ends the running scan: the rest is skipped and the run aborted", async () => {
  await using w = await world(
    Array.from({ length: 6 }, (_, i) => ({ id: `slow/m${i}:free`, delayMs: 200 })),
  );
  const scheduler = createScheduler({
    store: w.store,
    openrouter: w.client,
    settings: { ...FAST_SETTINGS, concurrency: 1 },
    timing: { kind: "interval", everyMs: 3_600_000 },
    scanOnStart: true,
    log: (m) => w.logs.push(m),
    cron: manualCron().register,
  });
  await scheduler.start();
  await new Promise((r) => setTimeout(r, 500));
  const running = await scheduler.status();
  assert.ok(running.running?.run_id, "the running scan is reported with its run id");
  await scheduler.stop();
  const [run] = await w.store.listRuns(1);
  assert.equal(run.status, "aborted");
  const checks = await w.store.listChecks({ runId: run.id });
  assert.equal(checks.length, 6);
  assert.ok(checks.some((c) => c.status === "skipped" && c.skip_reason === "shutdown"));
});

Deno.test("timing: cron expressions (UTC) and intervals", () => {
  assert.deepEqual(timingOf({ intervalHours: 2, cron: null }), {
    kind: "interval",
    everyMs: 7_200_000,
  });
  assert.deepEqual(timingOf({ intervalHours: 2, cron: "*/15 * * * *" }), {
    kind: "cron",
    expression: "*/15 * * * *",
  });
  assert.equal(
    nextCronRun("0 */6 * * *", Date.UTC(2026, 10, 27, 7, 30)),
    Date.UTC(2026, 10, 27, 12),
  );
  assert.equal(describeTiming({ kind: "interval", everyMs: 1_800_000 }), "every 30 min");
  assert.equal(describeTiming({ kind: "interval", everyMs: 3_600_000 }), "every 1 h");
});
