import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import type { KeyInfo } from "../../lib/openrouter/types.ts";
import { createQuotaPlanner } from "../../lib/planner/service.ts";
import { modelsInSlot, planSpread } from "../../lib/planner/spread.ts";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import type { CronRegister } from "../../lib/schedule/cron.ts";
import { createScheduler } from "../../lib/schedule/scheduler.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { FAST_SETTINGS, TEST_KEY } from "../scan/helpers.ts";
import { openTestStore, seedStore } from "../seed.ts";

const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 27, 10, 35);
const HOURLY = { kind: "interval", everyMs: H } as const;

const keyOf = (free: boolean): KeyInfo => ({
  is_free_tier: free,
  limit: null,
  limit_remaining: null,
  usage: 0,
  usage_daily: 0,
});

async function seeded() {
  const db = await openTestStore();
  await seedStore(db.store, {
    models: [
      { id: "a/a:free" },
      { id: "b/b:free" },
      { id: "c/c:free" },
      { id: "img/gen:free", output_modalities: ["image"] },
      { id: "gone/x:free", present: false },
    ],
    checks: [
      { model_id: "a/a:free", checked_at: NOW - 2 * H, status: "ok", attempts: 1 },
      { model_id: "b/b:free", checked_at: NOW - 2 * H, status: "timeout", attempts: 3 },
      { model_id: "c/c:free", checked_at: NOW - 2 * H, status: "skipped" },
      { model_id: "a/a:free", checked_at: NOW - 20 * H, status: "ok", attempts: 1 },
    ],
  });
  return db;
}

Deno.test("the plan: models a scan checks, the key's budget, what was spent today", async () => {
  await using db = await seeded();
  const logs: string[] = [];
  let keyCalls = 0;
  const planner = createQuotaPlanner({
    store: db.store,
    getKey: () => {
      keyCalls++;
      return Promise.resolve(keyOf(true));
    },
    settings: FAST_SETTINGS,
    timing: HOURLY,
    spread: false,
    log: (m) => logs.push(m),
    now: () => NOW,
  });
  const p = await planner.check();
  assert.equal(p.models_per_scan, 3, "text models in the catalog now");
  assert.equal(p.tier, "free");
  assert.equal(p.requests_per_day_min, 72);
  assert.equal(p.status, "over");
  assert.equal(p.spent_today, 4, "today's attempts; skipped checks sent nothing");
  assert.match(
    logs[0],
    /^daily free-model quota: 50 requests \(free tier\); the schedule sends 72–216 a day \(3 models a scan\)$/,
  );
  assert.match(logs[1], /^warning: The schedule sends about 72 requests a day/);
  await planner.check();
  assert.equal(logs.filter((l) => l.startsWith("warning:")).length, 1, "warned once");
  assert.equal(keyCalls, 2);
  await planner.plan();
  await planner.check({ quiet: true }); // after a scan: no budget line, no new key read
  assert.equal(keyCalls, 2, "the key is cached");
  assert.equal(logs.length, 3, logs.join("\n"));

  const filtered = createQuotaPlanner({
    store: db.store,
    getKey: null,
    settings: { ...FAST_SETTINGS, modelIdContains: ["a/"] },
    timing: HOURLY,
    spread: false,
    log: () => {},
    now: () => NOW,
  });
  const f = await filtered.plan();
  assert.deepEqual([f.models_per_scan, f.tier, f.status], [1, "unknown", "tight"]); // 24, 72 with retries
});

Deno.test("on a new database the budget line waits for the first scan's catalog", async () => {
  await using db = await openTestStore();
  const logs: string[] = [];
  const planner = createQuotaPlanner({
    store: db.store,
    getKey: () => Promise.resolve(keyOf(false)),
    settings: FAST_SETTINGS,
    timing: HOURLY,
    spread: false,
    log: (m) => logs.push(m),
    now: () => NOW,
  });
  await planner.check();
  assert.deepEqual(logs, []);
  await seedStore(db.store, { models: [{ id: "a/a:free" }] });
  await planner.check({ quiet: true });
  await planner.check({ quiet: true });
  assert.deepEqual(logs, [
    "daily free-model quota: 1000 requests (credits bought); the schedule sends 24–72 a day (1 model a scan)",
  ]);
});

Deno.test("spread turns follow the plan; unhealthy models count as unstable", async () => {
  await using db = await seeded();
  const planner = createQuotaPlanner({
    store: db.store,
    getKey: () => Promise.resolve(keyOf(false)),
    settings: FAST_SETTINGS,
    timing: HOURLY,
    spread: true,
    log: () => {},
    now: () => NOW,
  });
  await planner.check();
  const plan = await planner.spreadPlan();
  assert.deepEqual(plan.per_model.map((m) => [m.model_id, m.unstable, m.per_day]), [
    ["a/a:free", false, 24],
    ["b/b:free", true, 72],
    ["c/c:free", true, 72], // no data yet: checked more often until it has some
  ]);
  const turn = await planner.spreadTurn();
  assert.equal(turn.slotMs, 600_000);
  assert.equal(turn.slot, Math.floor(NOW / 600_000));
  const expected = planSpread({
    models: plan.per_model.map((m) => ({ id: m.model_id, unstable: m.unstable })),
    dailyBudget: 1000,
    scansPerDay: 24,
    day: Math.floor(NOW / 86_400_000),
  });
  assert.deepEqual(turn.modelIds, modelsInSlot(expected, 10 * 60 + 35));
  assert.equal((await planner.plan()).mode, "spread");
});

Deno.test("the scheduler in spread mode: one scan per slot, of that slot's models only", async () => {
  const fake = await startFakeOpenRouter({
    models: [{ id: "a/a:free" }, { id: "b/b:free" }, { id: "c/c:free" }],
    apiKey: TEST_KEY,
  });
  const dir = await Deno.makeTempDir({ prefix: "scouter-spread-" });
  const store = await openStore({ path: `${dir}/s.db` });
  const jobs: { schedule: string; fire: () => Promise<void> }[] = [];
  const cron: CronRegister = (_name, schedule, options, handler) => {
    jobs.push({ schedule, fire: handler });
    return new Promise((r) => options.signal?.addEventListener("abort", () => r()));
  };
  let turn = { slot: 100, slotMs: 600_000, modelIds: ["b/b:free"] };
  try {
    const scheduler = createScheduler({
      store,
      openrouter: createOpenRouterClient({ baseUrl: fake.url, apiKey: TEST_KEY }),
      settings: FAST_SETTINGS,
      timing: { kind: "cron", expression: "0 */6 * * *" },
      scanOnStart: true,
      log: () => {},
      cron,
      spread: { turn: () => Promise.resolve(turn) },
    });
    await scheduler.start();
    assert.equal(jobs[0].schedule, "* * * * *", "ticks every minute in spread mode");
    await scheduler.idle();
    const checked = async () => (await store.listChecks({})).map((c) => c.model_id);
    assert.deepEqual(await checked(), ["b/b:free"]);

    await jobs[0].fire(); // same slot: nothing
    await scheduler.idle();
    assert.equal((await store.listRuns(10)).length, 1);

    turn = { slot: 101, slotMs: 600_000, modelIds: ["a/a:free", "c/c:free"] };
    await jobs[0].fire();
    await scheduler.idle();
    assert.deepEqual((await checked()).slice(1).sort(), ["a/a:free", "c/c:free"]);
    const status = await scheduler.status();
    assert.ok(status.next_scan_at && Date.parse(status.next_scan_at) % 600_000 === 0);

    turn = { slot: 102, slotMs: 600_000, modelIds: [] };
    await jobs[0].fire();
    await scheduler.idle();
    assert.equal((await store.listRuns(10)).length, 2, "an empty slot starts nothing");
    await scheduler.stop();
  } finally {
    store.close();
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the plan names what capability checks cost a day: claimed checks of the scanned models once per interval", async () => {
  await using db = await openTestStore();
  await seedStore(db.store, {
    models: [
      { id: "t/tools:free", supported_parameters: ["tools", "response_format"] },
      { id: "v/vision:free", input_modalities: ["text", "image"], supported_parameters: [] },
      { id: "p/plain:free", supported_parameters: ["max_tokens", "reasoning"] },
      { id: "gone/tools:free", supported_parameters: ["tools"], present: false },
    ],
    checks: [],
  });
  const planOf = (capabilityIntervalHours?: number) =>
    createQuotaPlanner({
      store: db.store,
      getKey: null,
      settings: FAST_SETTINGS,
      timing: HOURLY,
      spread: false,
      log: () => {},
      now: () => NOW,
      capabilityIntervalHours,
    }).plan();
  // tools + json, vision: 3 claimed checks (reasoning costs no request; a removed model none).
  assert.equal((await planOf(24)).capability_requests_per_day, 3);
  assert.equal((await planOf(6)).capability_requests_per_day, 12);
  assert.equal((await planOf(0)).capability_requests_per_day, 0);
  assert.equal(
    (await planOf()).capability_requests_per_day,
    0,
    "off unless the server runs rounds",
  );
  const p = await planOf(24);
  assert.equal(p.headroom, p.probe_budget - p.requests_per_day_min, "never against the probes");
});
