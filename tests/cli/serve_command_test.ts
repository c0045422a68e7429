import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { generateHistory, seedStore } from "../seed.ts";
import { startServer } from "./server_process.ts";

Deno.test("serve without a key: what is stored, the scanning-off notice, no quota plan", async () => {
  const dir = await Deno.makeTempDir({ prefix: "scouter-serve-" });
  try {
    // 60 models scanned hourly would far exceed the free tier's 50 requests a day.
    const store = await openStore({ path: `${dir}/scouter.db` });
    try {
      await seedStore(store, generateHistory({ now: Date.now(), models: 60, days: 1 }));
    } finally {
      store.close();
    }
    const server = await startServer({
      entry: "main.ts",
      args: ["serve", "--db-path", "scouter.db"],
      cwd: dir,
      env: {},
    });
    try {
      const html = await (await fetch(`${server.base}/`)).text();
      assert.ok(html.includes("Scanning is off"), "the notice says how to turn scanning on");
      const summary = await (await fetch(`${server.base}/api/summary`)).json();
      assert.ok(summary.total_models > 50, `${summary.total_models} models stored`);
      assert.equal(summary.scanning.enabled, false);
      assert.ok(!/Daily free quota|exceeds the daily free quota/.test(html), "no quota plan");
    } finally {
      const stopped = await server.stop();
      assert.equal(stopped.code, 0, stopped.output);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
