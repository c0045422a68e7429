/**
 * Scanners in several regions on one database: each run and check tagged with its region, one
 * scan lease per region (parallel across regions, never two in one), and the interval counted
 * per region.
 */
import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import { SCAN_LEASE, scanLeaseName } from "../../lib/scan/lease.ts";
import type { CronRegister } from "../../lib/schedule/cron.ts";
import { createScheduler } from "../../lib/schedule/scheduler.ts";
import { resolveConfig } from "../../lib/config/settings.ts";
import { ConfigError } from "../../lib/config/errors.ts";
import { scanSettingsOf } from "../../lib/scan/settings.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { FAST_SETTINGS, scanWorld, TEST_KEY } from "../scan/helpers.ts";

const idleCron: CronRegister = (_name, _schedule, options) =>
  new Promise((resolve) => options.signal?.addEventListener("abort", () => resolve()));

Deno.test("OPENROUTER_SCOUT_REGION: optional, plain characters, passed to the scan", () => {
  assert.equal(resolveConfig({}).region, null);
  const config = resolveConfig({ OPENROUTER_SCOUT_REGION: " eu-west.1 " });
  assert.equal(config.region, "eu-west.1");
  assert.equal(scanSettingsOf(config).region, "eu-west.1");
  for (const bad of ["eu west", "eu/west", "-eu", "x".repeat(64)]) {
    assert.throws(
      () => resolveConfig({ OPENROUTER_SCOUT_REGION: bad }),
      (e) => e instanceof ConfigError && /^OPENROUTER_SCOUT_REGION /.test(e.message),
    );
  }
});

Deno.test("scanLeaseName: one lease per region, the plain one for untagged scanners", () => {
  assert.equal(scanLeaseName(null), SCAN_LEASE);
  assert.equal(scanLeaseName(undefined), SCAN_LEASE);
  assert.equal(scanLeaseName("eu-west"), "scan:eu-west");
});

Deno.test("a scan tags its run and every check with the region", async () => {
  await using w = await scanWorld([{ id: "a/a:free" }, {
    id: "b/b:free",
    behaviors: ["http_503"],
  }]);
  const outcome = await w.scan({ region: "ap-south" });
  const rs = await w.store.client.execute({
    sql: "SELECT region, COUNT(*) AS n FROM checks WHERE run_id = ? GROUP BY region",
    args: [outcome.run_id],
  });
  assert.deepEqual(rs.rows.map((r) => [r.region, Number(r.n)]), [["ap-south", 2]]);
  assert.equal((await w.store.getRun(outcome.run_id))?.region, "ap-south");

  const untagged = await w.scan();
  const none = await w.store.client.execute({
    sql: "SELECT COUNT(*) AS n FROM checks WHERE run_id = ? AND region IS NULL",
    args: [untagged.run_id],
  });
  assert.equal(Number(none.rows[0].n), 2);
});

Deno.test("schedulers in two regions scan in parallel; two in one region do not", async () => {
  const fake = await startFakeOpenRouter({
    models: [{ id: "slow/a:free", delayMs: 300 }, { id: "slow/b:free", delayMs: 300 }],
    apiKey: TEST_KEY,
  });
  const dir = await Deno.makeTempDir({ prefix: "scouter-regions-" });
  const stores = await Promise.all([0, 1, 2].map(() => openStore({ path: `${dir}/s.db` })));
  try {
    const make = (i: number, region: string) =>
      createScheduler({
        store: stores[i],
        openrouter: createOpenRouterClient({ baseUrl: fake.url, apiKey: TEST_KEY }),
        settings: { ...FAST_SETTINGS, concurrency: 1, region },
        timing: { kind: "interval", everyMs: 3_600_000 },
        scanOnStart: false,
        log: () => {},
        cron: idleCron,
      });
    const eu = make(0, "eu");
    const us = make(1, "us");
    const euAgain = make(2, "eu");
    assert.equal(await eu.requestScan(), "started");
    await new Promise((r) => setTimeout(r, 100)); // the scan takes its lease
    assert.equal(await us.requestScan(), "started", "another region scans at the same time");
    assert.equal(await euAgain.requestScan(), "busy", "never two scans in one region");
    const seen = await euAgain.status();
    assert.ok(seen.running, "the region's running scan is seen from the other process");
    assert.equal(
      (await us.status()).running?.run_id,
      (await stores[1].listRuns(5))
        .find((r) => r.region === "us")?.id,
    );
    await Promise.all([eu.idle(), us.idle()]);
    const runs = await stores[0].listRuns(10);
    assert.deepEqual(runs.map((r) => r.region).sort(), ["eu", "us"]);
    assert.ok(runs.every((r) => r.status === "completed"));
    const [a, b] = runs;
    assert.ok(
      a.started_at < b.finished_at! && b.started_at < a.finished_at!,
      "the two scans overlapped",
    );

    // The interval counts from the region's own last scan.
    const asia = make(2, "asia");
    assert.equal(await stores[0].lastRunStartedAt("asia"), null);
    const euNext = Date.parse((await eu.status()).next_scan_at!);
    const euStart = runs.find((r) => r.region === "eu")!.started_at;
    assert.equal(euNext, euStart + 3_600_000);
    const asiaNext = Date.parse((await asia.status()).next_scan_at!);
    assert.ok(asiaNext > euStart + 3_600_000, "a region that never scanned is not due by eu's");
    for (const s of [eu, us, euAgain, asia]) await s.stop();
  } finally {
    for (const s of stores) s.close();
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
