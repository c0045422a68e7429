/** `deno task scan` and routed traffic: --json's traffic_measured, --model, the settings' errors. */
import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { insertTrafficChecks, trafficRunId } from "../../lib/db/router.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { TEST_KEY } from "../scan/helpers.ts";
import { check } from "../db/helpers.ts";
import { runCli } from "./run_cli.ts";

const GOOD = "good/model:free";
const OTHER = "other/model:free";

Deno.test("scan --json lists the models routed traffic measured; --model still probes them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "scouter-cli-traffic-" });
  const fake = await startFakeOpenRouter({
    models: [{ id: GOOD }, { id: OTHER }],
    apiKey: TEST_KEY,
  });
  try {
    await Deno.mkdir(`${dir}/results`);
    const store = await openStore({ path: `${dir}/results/scouter.db` });
    try {
      const at = Date.now() - 10 * 60_000;
      await insertTrafficChecks(store.client, await trafficRunId(store.client), [
        check(GOOD, { checked_at: at }),
      ]);
    } finally {
      store.close();
    }
    const env = {
      OPENROUTER_API_KEY: TEST_KEY,
      OPENROUTER_BASE_URL: fake.url,
      OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS: "0",
    };
    const r = await runCli(["scan", "--json"], env, dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.results.map((x: { model_id: string }) => x.model_id), [OTHER]);
    assert.equal(out.traffic_measured.length, 1);
    assert.equal(out.traffic_measured[0].model_id, GOOD);
    assert.equal(out.traffic_measured[0].status, "ok");
    assert.ok(!Number.isNaN(Date.parse(out.traffic_measured[0].checked_at)));
    assert.match(r.stderr, /1 model measured by routed traffic in the last 1 h: not probed/);
    const probed = fake.chatRequests().map((q) => (q.body as { model: string }).model);
    assert.deepEqual(probed, [OTHER]);

    const named = await runCli(["scan", "--json", "--model", GOOD], env, dir);
    assert.equal(named.code, 0, named.stderr);
    const again = JSON.parse(named.stdout);
    assert.deepEqual(again.results.map((x: { model_id: string }) => x.model_id), [GOOD]);
    assert.deepEqual(again.traffic_measured, []);

    const off = await runCli(["scan", "--json"], {
      ...env,
      OPENROUTER_SCOUT_TRAFFIC_FRESH_MINUTES: "0",
    }, dir);
    assert.equal(JSON.parse(off.stdout).results.length, 2, "0: every model probed");

    const bad = await runCli(["scan"], { ...env, OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE: "1" }, dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr.trim(), /OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE must be at most 0\.9/);
    assert.equal(bad.stderr.trim().split("\n").length, 1);
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
