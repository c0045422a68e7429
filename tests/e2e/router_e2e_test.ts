/**
 * The Router page end to end: `main.ts serve` with the router on, scanning the fake OpenRouter
 * at start; requests routed through /v1 (one fails over); chromium reads /router and its chart
 * hydrates; after SIGTERM the hour's request counts are in the database.
 */
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { openStore } from "../../lib/db/open.ts";
import { routerHours } from "../../lib/db/router.ts";
import { ensureAssets } from "../../lib/web/build.ts";
import { launchBrowser, SKIP_BROWSER_TESTS, withPage } from "../browser.ts";
import { waitFor } from "../cli/run_cli.ts";
import { startServer } from "../cli/server_process.ts";
import { type FakeModelSpec, startFakeOpenRouter } from "../fake_openrouter.ts";
import { TEST_KEY } from "../scan/helpers.ts";

const TOKEN = "e2e-router-token-0123456789abcdef";
const PROMPT = "router e2e private prompt 5d1e";

const MODELS: FakeModelSpec[] = [
  // Always rate-limited upstream: named first, it fails over; under scouter/free it is not
  // ranked (its probe failed), so the healthy one answers at once.
  { id: "acme/first:free", name: "Acme first", behaviors: ["upstream_429"] },
  { id: "acme/second:free", name: "Acme second", behaviors: ["ok"] },
];

Deno.test({
  name: "the Router page, end to end: serve with the router, routed requests, chromium",
  ignore: SKIP_BROWSER_TESTS,
  async fn() {
    await ensureAssets();
    const fake = await startFakeOpenRouter({ models: MODELS, apiKey: TEST_KEY });
    const dir = await Deno.makeTempDir({ prefix: "scouter-router-e2e-" });
    // The project's server process: the start task's permissions, stdout and stderr drained.
    const server = await startServer({
      entry: "main.ts",
      args: ["serve"],
      cwd: dir,
      env: {
        OPENROUTER_API_KEY: TEST_KEY,
        OPENROUTER_BASE_URL: fake.url,
        OPENROUTER_SCOUT_ROUTER_TOKEN: TOKEN,
        OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS: "0",
        OPENROUTER_SCOUT_MAX_RETRIES: "0",
      },
    });
    const base = server.base;
    let browser: Browser | undefined;
    let stopped = false;
    try {
      await waitFor("the first scan", async () => {
        const s = await (await fetch(`${base}/api/summary`)).json();
        return s.last_run?.status === "completed" ? s : null;
      });
      for (const model of ["acme/first:free", "scouter/free"]) {
        const res = await fetch(`${base}/v1/chat/completions`, {
          method: "POST",
          headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
          body: JSON.stringify({
            model,
            messages: [{ role: "user", content: PROMPT }],
          }),
        });
        assert.equal(res.status, 200, await res.clone().text());
        await res.body?.cancel();
      }
      const report = await waitFor("the routed attempts stored", async () => {
        const r = await (await fetch(`${base}/api/router`)).json();
        const hour = r.history.hours.at(-1);
        return hour.attempts >= 3 && hour.requests >= 2 ? r : null;
      });
      assert.equal(report.enabled, true);
      assert.equal(report.requests, 2);
      assert.equal(report.failovers, 1);

      browser = await launchBrowser();
      await withPage(browser, async (page, problems) => {
        await page.goto(`${base}/`);
        await page.locator("nav a", { hasText: "Router" }).click();
        await page.waitForURL(/\/router$/);
        assert.match(await page.locator("h1").innerText(), /Router/);
        const counters = await page.locator("[data-router-counters]").innerText();
        assert.match(counters, /Requests\s+2/i);
        assert.match(counters, /Failovers\s+1/i);
        // The chart hydrates into an interactive ECharts instance.
        await page.waitForSelector(".scouter-chart[_echarts_instance_]");
        const chart = await page.locator("[data-router-chart]").innerText();
        assert.match(chart, /2 requests routed/);
        const decisions = await page.locator("[data-router-decisions]").innerText();
        assert.match(decisions, /upstream_429/);
        assert.match(decisions, /acme\/second:free/);
        assert.ok(!(await page.content()).includes(PROMPT), "no prompt on the page");
        await page.goto(`${base}/router?range=7d`);
        await page.waitForSelector(".scouter-chart[_echarts_instance_]");
        assert.deepEqual(problems.errors, []);
      });
      // Without JavaScript the chart is the server's SVG.
      await withPage(browser, async (page) => {
        await page.goto(`${base}/router`);
        assert.ok(await page.locator("[data-router-chart] svg").count() > 0);
      }, { javaScriptEnabled: false });
    } finally {
      await browser?.close();
      const { code, output } = await server.stop();
      await fake.close();
      stopped = code === 0;
      assert.equal(code, 0, `the server stops cleanly on SIGTERM\n${output}`);
      // Its whole log, stdout and stderr.
      assert.ok(!output.includes(PROMPT) && !output.includes(TOKEN), "no prompt or token logged");
    }
    try {
      // The hour's counters are in the database, once (the job and the stop never count twice).
      const store = await openStore({ path: `${dir}/results/scouter.db` });
      try {
        const hours = await routerHours(store.client, 0, Date.now() + 3_600_000);
        assert.equal(hours.reduce((n, h) => n + h.requests, 0), 2);
        assert.equal(hours.reduce((n, h) => n + h.failovers, 0), 1);
      } finally {
        store.close();
      }
    } finally {
      if (stopped) await Deno.remove(dir, { recursive: true });
    }
  },
});
