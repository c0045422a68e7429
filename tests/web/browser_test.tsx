/**
 * Smoke test in a real browser: islands hydrate, the theme toggle works and persists, the
 * chart becomes interactive, pages without islands load no JavaScript, and nothing breaks
 * under a CSP without 'unsafe-inline' for scripts.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import type { Browser } from "playwright-core";
import { launchBrowser, SKIP_BROWSER_TESTS, withPage } from "../browser.ts";
import { staticHandler } from "../../lib/web/assets.ts";
import { ensureAssets } from "../../lib/web/build.ts";
import { Island } from "../../lib/web/islands.tsx";
import { renderPage, themeFromCookie } from "../../lib/web/layout.tsx";
import type { ChartOption } from "../../islands/chart_setup.ts";
import { MIN_CHART_HEIGHT } from "../../islands/chart_mount.ts";

const option: ChartOption = {
  grid: { left: 40, right: 10, top: 10, bottom: 30 },
  xAxis: { type: "category", data: ["00:00", "06:00", "12:00", "18:00"] },
  yAxis: { type: "value", name: "ms" },
  series: [{ type: "line", name: "</script><b>p50</b>", data: [320, 410, null, 380] }],
};

const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'";

function app(buildDir: string): Hono {
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    c.res.headers.set("Content-Security-Policy", CSP);
  });
  app.get("/static/*", staticHandler({ buildDir }));
  app.get("/", (c) =>
    c.html(renderPage(
      <main>
        <Island name="ThemeToggle" props={{}} />
        <Island name="Chart" props={{ option, width: 480, height: 200, label: "latency" }} />
      </main>,
      { title: "islands", theme: themeFromCookie(c.req.header("cookie")) },
    )));
  app.get("/favicon.ico", (c) => c.body(null, 204));
  app.get("/plain", (c) => c.html(renderPage(<p>no islands</p>, { title: "plain" })));
  return app;
}

Deno.test({
  name: "islands hydrate in chromium",
  ignore: SKIP_BROWSER_TESTS,
  async fn() {
    const buildDir = await Deno.makeTempDir({ prefix: "scouter-browser-" });
    await ensureAssets({ outDir: buildDir });
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      app(buildDir).fetch,
    );
    const base = `http://127.0.0.1:${server.addr.port}`;
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();

      await withPage(browser, async (page, problems) => {
        const scripts: string[] = [];
        page.on("request", (req) => {
          if (req.resourceType() === "script") scripts.push(new URL(req.url()).pathname);
        });
        await page.goto(`${base}/`);
        await page.waitForSelector("[data-island=ThemeToggle][data-hydrated]");
        const html = page.locator("html");
        assert.equal(await html.getAttribute("class"), null, "system theme (light) by default");
        const bodyBg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        const lightBg = await bodyBg();

        await page.click("button[aria-label='Toggle dark mode']");
        assert.equal(await html.getAttribute("class"), "dark");
        assert.notEqual(await bodyBg(), lightBg, "the dark: variant applies");
        assert.equal(await page.evaluate(() => localStorage.getItem("scouter-theme")), "dark");

        // Reloading: the server renders the stored choice from the cookie, no flash.
        const response = await page.reload();
        assert.match(await response!.text(), /<html lang="en" class="dark">/);

        // The chart: the SSR SVG first, then ECharts mounted in its place.
        await page.waitForSelector(".scouter-chart[_echarts_instance_] svg");
        const box = (await page.locator(".scouter-chart").boundingBox())!;
        assert.deepEqual([box.width, box.height], [480, 200], "same box as the SSR SVG");
        await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
        const tooltip = page.locator(".scouter-chart > div", { hasText: "p50" });
        await tooltip.waitFor({ state: "visible", timeout: 5000 });
        // ECharts escapes the (untrusted) series name in its HTML tooltip.
        assert.match(await tooltip.innerHTML(), /&lt;\/script&gt;&lt;b&gt;p50&lt;\/b&gt;/);

        assert.ok(scripts.some((s) => s.includes("/chart_mount-")), "ECharts chunk loaded");
        assert.ok(scripts.every((s) => s.startsWith("/static/build/")), scripts.join(" "));
        // Narrower than the chart: it shrinks, keeping its aspect ratio down to a readable
        // height (480×200 at 300 px wide would be 125 high), and redraws.
        await page.setViewportSize({ width: 300, height: 600 });
        await page.waitForFunction(() => {
          const svg = document.querySelector(".scouter-chart[_echarts_instance_] svg");
          return svg?.getAttribute("width") === "300";
        });
        const small = (await page.locator(".scouter-chart").boundingBox())!;
        assert.deepEqual([small.width, small.height], [300, MIN_CHART_HEIGHT]);
        assert.deepEqual(problems.errors, []);
      });

      await withPage(browser, async (page, problems) => {
        // System dark, no choice stored: dark without any class, toggling goes light.
        await page.goto(`${base}/`);
        await page.waitForSelector("[data-island=ThemeToggle][data-hydrated]");
        assert.equal(await page.locator("html").getAttribute("class"), null);
        assert.equal(await page.locator("svg.dark\\:hidden").isVisible(), false);
        await page.click("button[aria-label='Toggle dark mode']");
        assert.equal(await page.locator("html").getAttribute("class"), "light");
        assert.equal(await page.locator("svg.dark\\:hidden").isVisible(), true);
        assert.deepEqual(problems.errors, []);
      }, { colorScheme: "dark" });

      await withPage(browser, async (page, problems) => {
        // Without JavaScript: the server's SVG chart, in the box the live chart will take.
        await page.goto(`${base}/`);
        const box = (await page.locator(".scouter-chart > svg").boundingBox())!;
        assert.deepEqual([box.width, box.height], [480, 200]);
        await page.setViewportSize({ width: 240, height: 600 });
        const narrow = (await page.locator(".scouter-chart > svg").boundingBox())!;
        assert.ok(narrow.width <= 240 && Math.abs(narrow.width / narrow.height - 2.4) < 0.05);
        // With JavaScript off, chromium refuses the modulepreloads (reported as "csp").
        assert.deepEqual(problems.errors.filter((e) => !/\.js csp$/.test(e)), []);
      }, { javaScriptEnabled: false });

      await withPage(browser, async (page, problems) => {
        const requests: string[] = [];
        page.on("request", (req) => requests.push(`${req.resourceType()} ${req.url()}`));
        await page.goto(`${base}/plain`);
        assert.ok(requests.some((r) => r.startsWith("stylesheet ")), requests.join("\n"));
        assert.deepEqual(requests.filter((r) => r.startsWith("script ")), []);
        assert.deepEqual(problems.errors, []);
      });
    } finally {
      await browser?.close();
      await server.shutdown();
      await Deno.remove(buildDir, { recursive: true });
    }
  },
});
