/**
 * Verified capabilities in Chromium: the models table's chips, the "Supports (verified)"
 * filter hiding the models not verified (without a reload, kept in the address bar), and the
 * model page's claim beside the verdict. Verdicts are written straight into model_capabilities.
 */
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { launchBrowser, SKIP_BROWSER_TESTS, withPage } from "../browser.ts";
import { serveForBrowser } from "../routes/browser_app.ts";
import { feature, H, NOW } from "../routes/feature_helpers.ts";
import { seedVerdicts } from "../stats/capability_seed.ts";

const HOSTILE = `<img src=x onerror="window.__pwned=1">`;
const MODELS = ["proven/a:free", "liar/b:free", "claims/c:free", "plain/d:free"];

Deno.test({
  name: "capabilities in chromium: chips, the supports filter, the model page",
  ignore: SKIP_BROWSER_TESTS,
  async fn() {
    await using f = await feature({
      models: MODELS.map((id) => ({
        id,
        name: id.split("/")[0],
        supported_parameters: id.startsWith("plain") ? [] : ["tools"],
      })),
      checks: MODELS.map((id) => ({
        model_id: id,
        checked_at: NOW - H,
        status: "ok" as const,
        latency_ms: 400,
      })),
    });
    await seedVerdicts(f.db.store.client, [
      { model_id: "proven/a:free", capability: "tools", verified: true, checked_at: NOW - 2 * H },
      {
        model_id: "liar/b:free",
        capability: "tools",
        verified: false,
        checked_at: NOW - 3 * H,
        detail: `answered in prose ${HOSTILE}`,
      },
    ]);
    await using served = await serveForBrowser(f.deps, "scouter-caps-browser-");
    const base = served.base;
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      await withPage(browser, async (page, problems) => {
        await page.goto(`${base}/`);
        await page.waitForSelector("[data-island=ModelTable][data-hydrated]");
        const rows = page.locator("[data-island=ModelTable] tbody tr");
        assert.equal(await rows.count(), 4);
        const chip = (model: string) => rows.filter({ hasText: model }).locator("[data-cap=tools]");
        assert.equal(await chip("proven/a:free").textContent(), "tools ✓");
        assert.equal(await chip("liar/b:free").textContent(), "tools ✗");
        assert.equal(await chip("claims/c:free").textContent(), "tools ?");
        assert.equal(await chip("plain/d:free").count(), 0);
        assert.equal(
          await chip("liar/b:free").getAttribute("title"),
          `claims tools · verified no, 3 h ago: answered in prose ${HOSTILE}`,
        );
        assert.equal(
          await chip("claims/c:free").getAttribute("title"),
          "claims tools · not verified yet",
        );

        // The filter hides every model not verified, without a reload; the URL follows.
        await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
        await page.selectOption("select[name=supports]", "tools");
        assert.equal(await rows.count(), 1);
        assert.match((await rows.first().textContent()) ?? "", /proven\/a:free/);
        await page.waitForURL(/\?supports=tools$/, { timeout: 5_000 });
        assert.equal(await page.evaluate(() => "sameDocument" in globalThis), true);
        await page.selectOption("select[name=supports]", "");
        assert.equal(await rows.count(), 4);

        // A shared link renders filtered at once (server side), then hydrates the same.
        await page.goto(`${base}/?supports=tools`);
        await page.waitForSelector("[data-island=ModelTable][data-hydrated]");
        assert.equal(await rows.count(), 1);

        await page.goto(`${base}/models/liar/b:free`);
        const card = page.locator("[data-capabilities]");
        const text = (await card.innerText()).replace(/\s+/g, " ");
        assert.ok(
          text.includes(`claims tools · verified no, 3 h ago: answered in prose ${HOSTILE}`),
          text,
        );
        assert.match(text, /doesn't claim vision/);
        assert.equal(await page.evaluate(() => "__pwned" in globalThis), false);
        assert.deepEqual(problems.errors, []);
      });
    } finally {
      await browser?.close();
    }
  },
});
