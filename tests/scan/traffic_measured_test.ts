/** Traffic saves quota: models routed traffic measured recently are not probed (issue 11). */
import assert from "node:assert/strict";
import {
  insertTrafficChecks,
  recentTrafficMeasurements,
  trafficRunId,
} from "../../lib/db/router.ts";
import type { Store } from "../../lib/db/store.ts";
import type { CheckResult } from "../../lib/domain/check.ts";
import { splitTrafficMeasured, trafficMeasuredLine } from "../../lib/scan/traffic_measured.ts";
import { trafficFreshMinutesOf } from "../../lib/scan/settings.ts";
import type { CatalogModel } from "../../lib/openrouter/types.ts";
import { check } from "../db/helpers.ts";
import { scanWorld } from "./helpers.ts";

const A = "test/a:free";
const B = "test/b:free";
const C = "test/c:free";
const MODELS = [A, B, C].map((id) => ({ id, behaviors: ["ok" as const] }));

async function addTraffic(store: Store, checks: CheckResult[]): Promise<void> {
  await insertTrafficChecks(store.client, await trafficRunId(store.client), checks);
}

/** The models the fake was asked to chat with, from request `from` on. */
function probedModels(world: { fake: { chatRequests(): { body: unknown }[] } }, from = 0) {
  return world.fake.chatRequests().slice(from).map((r) => (r.body as { model: string }).model);
}

Deno.test("telling traffic checks only: ok, or blamed on the model, upstream or shared capacity", async () => {
  await using world = await scanWorld(MODELS);
  const now = Date.now();
  await addTraffic(world.store, [
    check("m/ok:free", { checked_at: now - 60_000 }),
    check("m/upstream:free", {
      status: "unavailable",
      fault: "upstream",
      checked_at: now - 50_000,
      answer: null,
    }),
    check("m/shared:free", { status: "rate_limited", fault: "shared_capacity", checked_at: now }),
    check("m/model:free", { status: "not_found", fault: "model", checked_at: now - 1 }),
    check("m/account:free", { status: "unavailable", fault: "account", checked_at: now }),
    check("m/openrouter:free", { status: "unavailable", fault: "openrouter", checked_at: now }),
    check("m/old:free", { checked_at: now - 3_600_000 }),
  ]);
  // A probe check is not traffic.
  const runId = await world.store.startRun({ trigger: "cli", started_at: now });
  await world.store.insertCheck(runId, check("m/probe:free", { checked_at: now }));

  const recent = await recentTrafficMeasurements(world.store.client, now - 30 * 60_000);
  assert.deepEqual(recent.map((m) => m.model_id), [
    "m/model:free",
    "m/ok:free",
    "m/shared:free",
    "m/upstream:free",
  ]);
  assert.equal(recent.find((m) => m.model_id === "m/upstream:free")?.status, "unavailable");
  assert.equal(recent.find((m) => m.model_id === "m/ok:free")?.checked_at, now - 60_000);
});

Deno.test("the newest telling check is the one reported, per model", async () => {
  await using world = await scanWorld(MODELS);
  const now = Date.now();
  await addTraffic(world.store, [
    check(A, { status: "unavailable", fault: "upstream", checked_at: now - 2_000 }),
    check(A, { checked_at: now - 1_000 }),
    check(A, { status: "unavailable", fault: "account", checked_at: now }),
  ]);
  const [m] = await recentTrafficMeasurements(world.store.client, now - 60_000);
  assert.deepEqual(m, { model_id: A, checked_at: now - 1_000, status: "ok" });
});

Deno.test("splitTrafficMeasured keeps the order and always probes explicit models", () => {
  const models = [A, B, C].map((id) => ({ id }) as CatalogModel);
  const recent = [A, C].map((model_id) => ({ model_id, checked_at: 1, status: "ok" as const }));
  const split = splitTrafficMeasured(models, recent);
  assert.deepEqual(split.probe.map((m) => m.id), [B]);
  assert.deepEqual(split.measured.map((m) => m.model_id), [A, C]);
  const explicit = splitTrafficMeasured(models, recent, new Set([A]));
  assert.deepEqual(explicit.probe.map((m) => m.id), [A, B]);
  assert.deepEqual(explicit.measured.map((m) => m.model_id), [C]);
  assert.equal(
    trafficMeasuredLine(split.measured, 30),
    `2 models measured by routed traffic in the last 30 min: not probed (${A}, ${C})`,
  );
  assert.match(trafficMeasuredLine(split.measured.slice(0, 1), 120), /^1 model .* last 2 h:/);
});

Deno.test("the freshness window: the setting, else the interval, else 60 min with a cron", () => {
  assert.equal(trafficFreshMinutesOf({ trafficFreshMinutes: 0, intervalHours: 1, cron: null }), 0);
  assert.equal(
    trafficFreshMinutesOf({ trafficFreshMinutes: 15, intervalHours: 1, cron: null }),
    15,
  );
  assert.equal(
    trafficFreshMinutesOf({ trafficFreshMinutes: null, intervalHours: 0.5, cron: null }),
    30,
  );
  assert.equal(
    trafficFreshMinutesOf({ trafficFreshMinutes: null, intervalHours: 6, cron: "*/5 * * * *" }),
    60,
  );
});

Deno.test("a scan does not probe a model traffic measured recently, and says so", async () => {
  await using world = await scanWorld(MODELS);
  await addTraffic(world.store, [check(A, { checked_at: Date.now() - 5 * 60_000 })]);
  const outcome = await world.scan({ trafficFreshMinutes: 30 });
  assert.equal(outcome.status, "completed");
  assert.deepEqual(outcome.results.map((r) => r.model_id).sort(), [B, C]);
  assert.deepEqual(outcome.traffic_measured.map((m) => m.model_id), [A]);
  assert.deepEqual(probedModels(world).sort(), [B, C]);
  assert.ok(
    world.logs.includes(
      `1 model measured by routed traffic in the last 30 min: not probed (${A})`,
    ),
    world.logs.join("\n"),
  );
  const run = await world.store.getRun(outcome.run_id);
  assert.equal(run?.traffic_measured, 1);
  assert.equal(run?.total_models, 2);
  // No check row for A in the run: the traffic check is its measurement.
  const rows = await world.store.client.execute({
    sql: "SELECT COUNT(*) AS n FROM checks WHERE run_id = ? AND model_id = ?",
    args: [outcome.run_id, A],
  });
  assert.equal(Number(rows.rows[0].n), 0);
});

Deno.test("traffic older than the window, or a window of 0, or --model: the model is probed", async () => {
  await using world = await scanWorld(MODELS);
  await addTraffic(world.store, [check(A, { checked_at: Date.now() - 5 * 60_000 })]);

  const old = await world.scan({ trafficFreshMinutes: 2 });
  assert.deepEqual(old.traffic_measured, []);
  assert.equal(old.results.length, 3);

  const never = await world.scan({ trafficFreshMinutes: 0 });
  assert.deepEqual(never.traffic_measured, []);
  assert.equal(never.results.length, 3);

  const before = world.fake.chatRequests().length;
  const explicit = await world.scan({ trafficFreshMinutes: 30, explicitModelIds: [A] });
  assert.deepEqual(explicit.results.map((r) => r.model_id), [A]);
  assert.deepEqual(explicit.traffic_measured, []);
  assert.deepEqual(probedModels(world, before), [A]);
});

Deno.test("--model names exact ids whatever the filters; an unknown one is said", async () => {
  await using world = await scanWorld(MODELS);
  const outcome = await world.scan({
    explicitModelIds: [B, "test/nope:free"],
    modelIdContains: ["zzz"],
    maxModels: 1,
  });
  assert.deepEqual(outcome.results.map((r) => r.model_id), [B]);
  assert.ok(world.logs.some((l) => l.includes("not checked: test/nope:free")), world.logs.join());
});

Deno.test("a scan with no router traffic behaves as before", async () => {
  await using world = await scanWorld(MODELS);
  const outcome = await world.scan({ trafficFreshMinutes: 60 });
  assert.equal(outcome.status, "completed");
  assert.deepEqual(outcome.results.map((r) => r.model_id).sort(), [A, B, C]);
  assert.ok(outcome.results.every((r) => r.status === "ok"));
  assert.deepEqual(outcome.traffic_measured, []);
  assert.deepEqual(probedModels(world).sort(), [A, B, C]);
  assert.ok(!world.logs.some((l) => l.includes("routed traffic")), world.logs.join("\n"));
  const run = await world.store.getRun(outcome.run_id);
  assert.equal(run?.traffic_measured, 0);
  assert.equal(run?.total_models, 3);
});
