/** GET /api/runs and the runs page: the models routed traffic measured, not probed. */
import assert from "node:assert/strict";
import { feature, H, NOW } from "./feature_helpers.ts";

Deno.test("a run's traffic_measured count in /api/runs and on /runs; none says nothing", async () => {
  await using f = await feature({ models: [{ id: "a/a:free" }], checks: [] });
  const quiet = await f.db.store.startRun({ trigger: "schedule", started_at: NOW - 2 * H });
  await f.db.store.finishRun(quiet, { status: "completed", finished_at: NOW - 2 * H + 1 });
  const run = await f.db.store.startRun({ trigger: "schedule", started_at: NOW - H });
  await f.db.store.finishRun(run, {
    status: "completed",
    finished_at: NOW - H + 1,
    traffic_measured: 3,
  });
  const runs = await (await f.get("/api/runs")).json() as {
    id: number;
    traffic_measured: number;
  }[];
  assert.deepEqual(runs.map((r) => [r.id, r.traffic_measured]), [[run, 3], [quiet, 0]]);
  const page = await (await f.get("/runs")).text();
  assert.match(page, /\+3 measured by routed traffic, not probed/);
  assert.equal(page.match(/data-traffic-measured/g)?.length, 1);
});
