/**
 * The pages in Chromium: the models table filters, sorts and searches without a reload (and
 * through the form without JavaScript), copy buttons work, charts hydrate, LiveStatus reloads
 * the page once a running scan ends, and nothing logs an error.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, SKIP_BROWSER_TESTS, withPage } from "../browser.ts";
import { modelSummaries } from "../../lib/stats/mod.ts";
import { generateHistory } from "../seed.ts";
import { serveForBrowser } from "./browser_app.ts";
import { HOSTILE_IMG, HOSTILE_SCRIPT, IDLE, NOW, OFF, pagesFixture } from "./pages_helpers.ts";

const RUNNING = {
  ...IDLE,
  running: {
    run_id: 999,
    started_at: new Date(NOW - 60_000).toISOString(),
    progress: { done: 3, total: 30, ok: 3, failed: 0, skipped: 0, startedAt: NOW - 60_000 },
  },
};

const rowCount = (page: Page) => page.locator("[data-island=ModelTable] tbody tr").count();

Deno.test({
  name: "pages work in chromium",
  ignore: SKIP_BROWSER_TESTS,
  async fn() {
    const history = generateHistory({ now: NOW, models: 30, days: 7 });
    // vendor-1 (flaky: failures on its chart) gets a hostile name; an alert() would fail.
    history.models![1] = { ...history.models![1], name: `${HOSTILE_IMG}${HOSTILE_SCRIPT}` };
    await using f = await pagesFixture(history);
    const models = await modelSummaries(f.db.store, NOW);
    const down = models.filter((m) => m.health === "down").length;
    await using served = await serveForBrowser(f.deps, "scouter-pages-browser-");
    const base = served.base;
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();

      await withPage(browser, async (page, problems) => {
        await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
        await page.goto(`${base}/`);
        await page.waitForSelector("[data-island=ModelTable][data-hydrated]");
        await page.waitForSelector(".scouter-chart[_echarts_instance_] svg");
        assert.equal(await rowCount(page), 30);
        assert.equal(await page.locator("button", { hasText: "Apply" }).isVisible(), false);

        // Search, without a reload: the page keeps a marker we set.
        await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
        await page.fill("input[name=q]", "model-1");
        assert.equal(await rowCount(page), 11); // model-1, model-10 … model-19
        // The query string follows the view (history.replaceState, after the render).
        await page.waitForURL(/\?q=model-1$/, { timeout: 5_000 });
        await page.fill("input[name=q]", "");

        await page.selectOption("select[name=status]", "down");
        assert.equal(await rowCount(page), down);
        await page.selectOption("select[name=status]", "all");

        // Sort by uptime 24 h: descending first, then ascending, nulls last both ways.
        const header = page.locator("th", { hasText: "Uptime 24h" });
        await header.locator("button").click();
        assert.equal(await header.getAttribute("aria-sort"), "descending");
        const firstUptime = () =>
          page.locator("[data-island=ModelTable] tbody tr").first().locator("td").nth(1)
            .textContent();
        assert.equal(await firstUptime(), "100 %");
        await header.locator("button").click();
        assert.equal(await header.getAttribute("aria-sort"), "ascending");
        assert.equal(await firstUptime(), "0 %");
        assert.match(page.url(), /sort=uptime_24h\.asc/);
        assert.equal(await page.evaluate(() => "sameDocument" in globalThis), true);

        // Copy an id.
        const copy = page.locator("[data-island=ModelTable] tbody tr").first()
          .locator("button", { hasText: "Copy" });
        await copy.click();
        await page.locator("button", { hasText: "Copied" }).waitFor();
        const first = await page.locator("[data-island=ModelTable] tbody tr code").first()
          .textContent();
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), first);

        // A reload keeps the view (it lives in the query string).
        await page.reload();
        await page.waitForSelector("[data-island=ModelTable][data-hydrated]");
        assert.equal(
          await page.locator("th", { hasText: "Uptime 24h" }).getAttribute("aria-sort"),
          "ascending",
        );
        assert.deepEqual(problems.errors, []);
      });

      await withPage(browser, async (page, problems) => {
        // A model page: the chart hydrates; the copy button shows.
        await page.goto(`${base}/models/vendor-1/model-1:free`);
        await page.waitForSelector(".scouter-chart[_echarts_instance_] svg");
        assert.equal(
          await page.locator("h1").textContent(),
          `${HOSTILE_IMG}${HOSTILE_SCRIPT}`,
          "the name is text",
        );
        // Hover the chart: a tooltip shows (and no injected script runs).
        await page.locator(".scouter-chart").scrollIntoViewIfNeeded();
        const box = (await page.locator(".scouter-chart").boundingBox())!;
        await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
        // The axis tooltip lists the series with a point at that time: a check's latency and
        // TTFT, or its failure category.
        const tooltip = page.locator(".scouter-chart > div", { hasText: /^2026-/ });
        await tooltip.waitFor();
        assert.match(
          await tooltip.innerText(),
          /Latency \(ms\)|empty response|rate-limited|unavailable|timed out/,
        );
        await page.waitForSelector("[data-island=CopyButton][data-hydrated] button:visible");
        await page.click("a:text-is('24h')");
        await page.waitForURL(/range=24h/);
        await page.waitForSelector(".scouter-chart[_echarts_instance_] svg");
        assert.deepEqual(problems.errors, []);
      }, { colorScheme: "dark" });

      await withPage(browser, async (page, problems) => {
        // Without JavaScript: the whole table, and the form and sort buttons still work.
        await page.goto(`${base}/`);
        assert.equal(await rowCount(page), 30);
        await page.selectOption("select[name=status]", "down");
        await page.click("button:text-is('Apply')");
        await page.waitForURL(/status=down/);
        assert.equal(await rowCount(page), down);
        await page.locator("th", { hasText: "p50 latency" }).locator("button").click();
        await page.waitForURL(/sort=p50_latency_24h\.asc/);
        assert.match(page.url(), /status=down/, "the filter survives a sort");
        assert.equal(
          await page.locator("th", { hasText: "p50 latency" }).getAttribute("aria-sort"),
          "ascending",
        );
        assert.ok(await page.locator(".scouter-chart > svg").isVisible(), "SSR chart");
        // Chromium refuses the modulepreloads with JavaScript off (reported as "csp").
        assert.deepEqual(problems.errors.filter((e) => !/\.js csp$/.test(e)), []);
      }, { javaScriptEnabled: false });

      await withPage(browser, async (page, problems) => {
        // At phone width nothing spills: the page does not scroll sideways, and no text runs
        // out of its box (long ids and env var names wrap; the table scrolls in its frame).
        f.scanner.set(OFF);
        for (const path of ["/", "/runs", "/router", "/models/vendor-1/model-1:free?range=90d"]) {
          await page.goto(`${base}${path}`);
          await page.waitForSelector("[data-island][data-hydrated]");
          const spill = await page.evaluate(() => {
            const inScroller = (e: Element) => e.closest(".overflow-x-auto") !== null;
            return [...document.querySelectorAll("body *")]
              .filter((e) => !(e instanceof SVGElement) && !inScroller(e))
              .filter((e) => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
              .filter((e) => getComputedStyle(e).overflowX === "visible")
              .map((e) => `${e.tagName}: ${e.textContent?.slice(0, 60)}`);
          });
          assert.deepEqual(spill, [], path);
          assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, path);
        }
        // The live chart keeps a readable height on a phone (not 1040:340 shrunk to 111 px).
        await page.waitForSelector(".scouter-chart[_echarts_instance_] svg");
        const chart = await page.locator(".scouter-chart").boundingBox();
        assert.ok(chart && chart.height >= 199 && chart.width <= 390, JSON.stringify(chart));
        assert.deepEqual(problems.errors, []);
      }, { viewport: { width: 390, height: 844 } });
      f.scanner.set(IDLE);

      await withPage(browser, async (page, problems) => {
        // An open dashboard's "Last scan … ago" follows the clock (it lives in LiveStatus).
        await page.clock.install({ time: NOW });
        await page.goto(`${base}/`);
        await page.waitForSelector("[data-island=LiveStatus][data-hydrated]");
        const lastScan = page.locator("section", { hasText: "Last scan" }).locator("time");
        const before = await lastScan.textContent();
        await page.clock.runFor(2 * 3_600_000);
        await page.waitForFunction(
          (old) => document.querySelector("section time")?.textContent !== old,
          before,
        );
        const after = await lastScan.textContent();
        assert.notEqual(after, before);
        assert.match(after ?? "", /\d+ h( \d+ min)? ago/);
        assert.deepEqual(problems.errors, []);
      });

      await withPage(browser, async (page, problems) => {
        // LiveStatus: a running scan, then it ends: the page reloads by itself.
        f.scanner.set(RUNNING);
        await page.clock.install();
        await page.goto(`${base}/runs`);
        await page.waitForSelector("[data-island=LiveStatus][data-hydrated]");
        assert.ok(await page.locator("text=3 / 30").isVisible());
        await page.evaluate(() => Object.assign(globalThis, { beforeReload: true }));
        f.scanner.set(IDLE);
        const reloaded = page.waitForEvent("load");
        await page.clock.runFor(11_000);
        await reloaded;
        await page.waitForSelector("[data-island=LiveStatus][data-hydrated]");
        assert.equal(await page.evaluate(() => "beforeReload" in globalThis), false);
        assert.ok(await page.locator("text=Next scan").isVisible());
        // No reload loop: another poll, same data, no reload.
        await page.evaluate(() => Object.assign(globalThis, { afterReload: true }));
        await page.clock.runFor(11_000);
        assert.equal(await page.evaluate(() => "afterReload" in globalThis), true);
        assert.deepEqual(problems.errors, []);
      });
    } finally {
      f.scanner.set(IDLE);
      await browser?.close();
    }
  },
});
