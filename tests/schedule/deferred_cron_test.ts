import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import {
  deferredCron,
  deployEnv,
  deploySchedule,
  EVERY_MINUTE,
} from "../../lib/schedule/deferred_cron.ts";
import { createScheduler } from "../../lib/schedule/scheduler.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { FAST_SETTINGS, TEST_KEY } from "../scan/helpers.ts";

Deno.test("deploySchedule: the scheduler's own schedule, read without waiting", () => {
  assert.equal(deploySchedule({}), EVERY_MINUTE, "interval timing ticks each minute");
  assert.equal(deploySchedule({ OPENROUTER_SCOUT_CRON: "  0 */3 * * *  " }), "0 */3 * * *");
  assert.equal(deploySchedule({ OPENROUTER_SCOUT_CRON: "" }), EVERY_MINUTE);
  assert.equal(deploySchedule({ OPENROUTER_SCOUT_CRON: "every hour" }), EVERY_MINUTE);
  assert.equal(deploySchedule({ OPENROUTER_SCOUT_CRON: "61 * * * *" }), EVERY_MINUTE);
});

Deno.test("deployEnv: the process environment over .env, an empty variable shadowing nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "scouter-deployenv-" });
  try {
    await Deno.writeTextFile(
      `${dir}/.env`,
      "OPENROUTER_SCOUT_CRON=0 * * * *\nOPENROUTER_SCOUT_REGION=eu\n",
    );
    const env = deployEnv(
      { OPENROUTER_SCOUT_REGION: "us", OPENROUTER_SCOUT_CRON: "" },
      `${dir}/.env`,
    );
    assert.equal(env.OPENROUTER_SCOUT_CRON, "0 * * * *");
    assert.equal(env.OPENROUTER_SCOUT_REGION, "us");
    assert.deepEqual(deployEnv({ A: "1" }, `${dir}/missing.env`), { A: "1" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deferredCron: a fired job waits for the scheduler's handover, then runs it", async () => {
  const logs: string[] = [];
  const cron = deferredCron("0 * * * *", (m) => logs.push(m));
  const ran: string[] = [];
  const fired = cron.handler().then(() => ran.push("fired"));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(ran.length, 0, "nothing to run before the handover");

  const stop = new AbortController();
  const registered = cron.register("scouter-scan", "0 * * * *", { signal: stop.signal }, () => {
    ran.push("job");
    return Promise.resolve();
  });
  await fired;
  assert.deepEqual(ran, ["job", "fired"]);
  assert.deepEqual(logs, []);

  stop.abort();
  await registered; // resolves once stopped, as Deno.cron's promise does
  await cron.handler();
  assert.deepEqual(ran, ["job", "fired"], "a stopped scheduler's job no longer runs");
});

Deno.test("deferredCron: settled without a job (scanning off) or never settled: the handler returns", async () => {
  const off = deferredCron(EVERY_MINUTE);
  off.settle();
  await off.handler();

  const stuck = deferredCron(EVERY_MINUTE, () => {}, 30);
  const started = Date.now();
  await stuck.handler();
  assert.ok(Date.now() - started >= 25, "waited for the server, then gave up");
});

Deno.test("deferredCron: a schedule other than the registered one is reported", () => {
  const logs: string[] = [];
  const cron = deferredCron(EVERY_MINUTE, (m) => logs.push(m));
  const stop = new AbortController();
  cron.register("scouter-scan", "0 * * * *", { signal: stop.signal }, () => Promise.resolve());
  stop.abort();
  assert.equal(logs.length, 1);
  assert.match(logs[0], /OPENROUTER_SCOUT_CRON/);
});

Deno.test("the scheduler's cron job lasts as long as the scan it starts (Deploy keeps the instance)", async () => {
  const fake = await startFakeOpenRouter({
    models: [{ id: "slow/a:free", delayMs: 200 }, { id: "slow/b:free", delayMs: 200 }],
    apiKey: TEST_KEY,
  });
  const dir = await Deno.makeTempDir({ prefix: "scouter-deferred-" });
  const store = await openStore({ path: `${dir}/s.db` });
  try {
    const cron = deferredCron(EVERY_MINUTE, () => {});
    const scheduler = createScheduler({
      store,
      openrouter: createOpenRouterClient({ baseUrl: fake.url, apiKey: TEST_KEY }),
      settings: { ...FAST_SETTINGS, concurrency: 1 },
      // Cron timing: each firing starts a scan.
      timing: { kind: "cron", expression: EVERY_MINUTE },
      scanOnStart: false,
      log: () => {},
      cron: cron.register,
    });
    await scheduler.start();
    cron.settle();
    await cron.handler();
    const [run] = await store.listRuns(1);
    assert.equal(run?.status, "completed", "the handler returned after the scan ended");
    await scheduler.stop();
  } finally {
    store.close();
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
