/**
 * End to end, as a user meets it: `main.ts serve` in its own process on a temporary database,
 * scanning the fake OpenRouter at start, and Debian's chromium reading the dashboard. Ends
 * with SIGTERM: the server must stop cleanly.
 */
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { ensureAssets } from "../../lib/web/build.ts";
import { launchBrowser, SKIP_BROWSER_TESTS, withPage } from "../browser.ts";
import { waitFor } from "../cli/run_cli.ts";
import { startServer } from "../cli/server_process.ts";
import { type FakeModelSpec, startFakeOpenRouter } from "../fake_openrouter.ts";
import { TEST_KEY } from "../scan/helpers.ts";

const HOSTILE_NAME = `<img src=x onerror="window.__pwned=1">Evil`;
const HOSTILE_DESCRIPTION = `</script><script>window.__pwned=2</script>`;

const MODELS: FakeModelSpec[] = [
  ...["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"].map((n) => ({
    id: `acme/${n}-llama:free`,
    name: `Acme ${n}`,
  })),
  { id: "acme/down-model:free", name: "Acme down", behaviors: ["http_503" as const] },
  { id: "acme/wrong-model:free", name: "Acme wrong", behaviors: ["wrong_answer" as const] },
  {
    id: "evil/model:free",
    name: HOSTILE_NAME,
    description: HOSTILE_DESCRIPTION,
  },
];

Deno.test({
  name: "the dashboard, end to end: server + scan of the fake OpenRouter + chromium",
  ignore: SKIP_BROWSER_TESTS,
  async fn() {
    await ensureAssets();
    const fake = await startFakeOpenRouter({ models: MODELS, apiKey: TEST_KEY });
    const dir = await Deno.makeTempDir({ prefix: "scouter-e2e-" });
    // The project's server process: the start task's permissions, stdout and stderr drained.
    const server = await startServer({
      entry: "main.ts",
      args: ["serve"],
      cwd: dir,
      env: {
        OPENROUTER_API_KEY: TEST_KEY,
        OPENROUTER_BASE_URL: fake.url,
        OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS: "0",
        OPENROUTER_SCOUT_CONCURRENCY: "4",
        OPENROUTER_SCOUT_MAX_RETRIES: "0",
      },
    });
    const base = server.base;
    let browser: Browser | undefined;
    try {
      const summary = await waitFor("the first scan", async () => {
        const s = await (await fetch(`${base}/api/summary`)).json();
        return s.last_run?.status === "completed" ? s : null;
      });
      assert.equal(summary.total_models, MODELS.length);
      assert.equal(summary.down_count, 2);

      browser = await launchBrowser();
      await withPage(browser, async (page, problems) => {
        await page.goto(`${base}/`);
        await page.waitForSelector("[data-island=ModelTable][data-hydrated]");
        const rows = page.locator("[data-island=ModelTable] tbody tr");
        assert.equal(await rows.count(), MODELS.length);
        const text = await page.locator("main").innerText();
        assert.match(text, /Evil/, "the hostile name is shown as text");
        assert.ok(text.includes("<img src=x"), "…its markup as characters, not an element");

        // Search without a reload, then sort.
        await page.fill("input[name=q]", "llama");
        assert.equal(await rows.count(), 7);
        await page.fill("input[name=q]", "");
        assert.equal(await rows.count(), MODELS.length);
        await page.locator("th", { hasText: "Uptime 24h" }).locator("button").click();
        const firstAfterSort = await rows.first().innerText();
        assert.doesNotMatch(firstAfterSort, /Acme down|Acme wrong/, "down models sort last");

        // The fleet chart hydrates into an interactive ECharts instance.
        await page.waitForSelector(".scouter-chart[_echarts_instance_]");

        // A model page, through its link.
        await page.locator("a", { hasText: "Acme alpha" }).first().click();
        await page.waitForURL(/\/models\//);
        assert.match(await page.locator("h1").innerText(), /Acme alpha/);
        await page.waitForSelector(".scouter-chart[_echarts_instance_]");
        assert.ok(await page.locator("svg").count() > 0);

        // The hostile model's own page: shown as text, no script ran anywhere.
        await page.goto(`${base}/models/${encodeURIComponent("evil/model:free")}`);
        assert.ok((await page.locator("main").innerText()).includes(HOSTILE_DESCRIPTION));
        assert.equal(
          await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned),
          undefined,
        );

        await page.goto(`${base}/runs`);
        assert.match(await page.locator("main").innerText(), /completed/);
        assert.deepEqual(problems.errors, []);
      });

      // With JavaScript off the table is complete.
      await withPage(browser, async (page) => {
        await page.goto(`${base}/`);
        assert.equal(
          await page.locator("[data-island=ModelTable] tbody tr").count(),
          MODELS.length,
        );
      }, { javaScriptEnabled: false });
    } finally {
      await browser?.close();
      const { code, output } = await server.stop();
      await fake.close();
      await Deno.remove(dir, { recursive: true });
      assert.equal(code, 0, `the server stops cleanly on SIGTERM\n${output}`);
    }
  },
});
