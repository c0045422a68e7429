/**
 * A short run of bench/load.ts (`deno task load` runs 50 connections × 15 s per path with
 * wrk): 12 connections on `/`, `/api/models`, `/api/summary` and `/models/{id}` in turn while
 * a scan runs, and not one error or non-2xx. Timings are printed by the task, never asserted.
 */
import assert from "node:assert/strict";
import { BROWSER_ENCODING, PATHS, runLoad } from "../../bench/load.ts";

Deno.test("load while a scan runs: every request on every path answered 2xx", async () => {
  const report = await runLoad({
    connections: 12,
    seconds: 2,
    models: 20,
    days: 2,
    acceptEncoding: BROWSER_ENCODING,
  });
  assert.ok(report.scanRanThroughout, "the scan ran for the whole load");
  assert.deepEqual(report.errorSamples, []);
  assert.deepEqual(Object.keys(report.byPath), [...PATHS]);
  for (const [path, f] of Object.entries(report.byPath)) {
    assert.ok(f.requests > 0, `${path} was requested`);
    assert.equal(f.errors, 0, `${path}: no socket error`);
    assert.equal(f.non2xx, 0, `${path}: no non-2xx`);
  }
});
