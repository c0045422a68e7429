/**
 * A short run of bench/load.ts (`deno task load` runs 50 clients × 30 s): concurrent clients
 * on `/`, `/models/{id}` and `/api/models` while a scan runs, and not one error. Timings are
 * printed by the task, never asserted.
 */
import assert from "node:assert/strict";
import { runLoad } from "../../bench/load.ts";

Deno.test("load while a scan runs: every request of every client answered 200", async () => {
  const report = await runLoad({ clients: 12, seconds: 4, models: 20, days: 2 });
  assert.ok(report.scanRanThroughout, "the scan ran for the whole load");
  assert.deepEqual(report.errorSamples, []);
  assert.equal(report.overall.errors, 0);
  for (const [path, f] of Object.entries(report.byPath)) {
    assert.ok(f.requests > 0, `${path} was requested`);
  }
});
