/**
 * Hostile catalog data, end to end: a catalog whose names and descriptions carry HTML and
 * script in every shape, ids with every odd character, a 100 KB description and fields of the
 * wrong types, scanned by the real server and read by chromium on every page — and not one
 * script from the catalog runs (`window.__pwned` stays undefined), no element or handler is
 * injected, the text is shown as text, and every odd id has a working page. Then a check that
 * the CSP itself is live: an inline script injected into the page is refused.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { ensureAssets } from "../../lib/web/build.ts";
import { launchBrowser, SKIP_BROWSER_TESTS, withPage } from "../browser.ts";
import { type FakeModelSpec, startFakeOpenRouter } from "../fake_openrouter.ts";
import { TEST_KEY } from "../scan/helpers.ts";
import { startServer, waitFor } from "./server.ts";

const BIG = "A".repeat(100 * 1024);

const HOSTILE: FakeModelSpec[] = [
  {
    id: "evil/img:free",
    name: `<img src=x onerror="window.__pwned=1">Img`,
    description: `<svg onload="window.__pwned=2"></svg><iframe src="javascript:parent.__pwned=3">`,
  },
  {
    id: "evil/script:free",
    name: `</script><script>window.__pwned=4</script>Script`,
    description: `<script>window.__pwned=5</script>${BIG}`,
  },
  { id: "evil/attr:free", name: `" onmouseover="window.__pwned=6" x="Attr` },
  {
    id: "evil/tpl:free",
    name: "{{constructor.constructor('window.__pwned=7')()}} ${window.__pwned=8}",
  },
  { id: "evil/json:free", name: "\u2028\u2029</script><!--<script>window.__pwned=9</script>-->" },
  { id: "evil/style:free", name: "<style>*{display:none}</style><base href='//evil.example/'>" },
  { id: "evil/rtl:free", name: "Right\u202Eleft\u200B\uFEFF zero-width" },
  { id: "evil/long:free", name: `Long ${"<b>x</b>".repeat(2000)}` },
  { id: "a/b c?d#e%:free", name: "Odd id" },
  { id: `quote/"'<x>&amp;:free`, name: "Quotes in the id" },
  { id: "javascript:window.__pwned=10//x:free", name: "Scheme-looking id" },
  { id: "dots/../../etc/passwd:free", name: "Dotted id" },
  { id: "uni/模型-🦙:free", name: "Unicode id" },
];

/** Entries the fake serves as they are: wrong types everywhere. */
const WRONG_TYPES: unknown[] = [
  {
    id: "types/num-name:free",
    name: 42,
    description: { html: "<img src=x onerror=window.__pwned=11>" },
    context_length: "a lot",
    architecture: "text->text",
    pricing: { prompt: "0", completion: 0 },
    supported_parameters: "<script>window.__pwned=12</script>",
    created: "yesterday",
    expiration_date: 12345,
    reasoning: "yes",
  },
  {
    id: "types/arrays:free",
    name: ["<img src=x onerror=window.__pwned=13>"],
    description: null,
    architecture: { input_modalities: "text", output_modalities: [1, "text", null] },
    pricing: { prompt: 0, completion: "0" },
    supported_parameters: [1, null, "<b>max_tokens</b>"],
  },
  { id: 12345, name: "numeric id" },
  {},
  "a string entry",
  null,
];

/** What the page would show if anything had been injected. */
async function injected(page: Page) {
  return await page.evaluate(() => {
    const all = [...document.querySelectorAll("*")];
    return {
      pwned: (globalThis as { __pwned?: unknown }).__pwned ?? null,
      handlers: all.flatMap((el) =>
        [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)
      ),
      inlineScripts: [...document.scripts].filter((s) =>
        !s.src && s.type !== "application/json"
      ).length,
      // (ECharts puts a <style> inside the SVG it draws: that one is its own.)
      foreign: [...document.querySelectorAll("iframe, img[src='x'], base, body style, svg[onload]")]
        .filter((el) => !(el.tagName === "style" && el.closest("svg")))
        .map((el) => el.outerHTML.slice(0, 200)),
      jsLinks: [...document.querySelectorAll("a")].filter((a) =>
        a.getAttribute("href")?.trim().toLowerCase().startsWith("javascript:")
      ).length,
    };
  });
}

async function assertClean(page: Page, where: string) {
  assert.deepEqual(
    await injected(page),
    { pwned: null, handlers: [], inlineScripts: 0, foreign: [], jsLinks: 0 },
    where,
  );
}

Deno.test({
  name: "hostile catalog data, end to end: stored and shown safely, no catalog script runs",
  ignore: SKIP_BROWSER_TESTS,
  async fn() {
    await ensureAssets();
    const fake = await startFakeOpenRouter({
      models: HOSTILE,
      extraCatalog: WRONG_TYPES,
      apiKey: TEST_KEY,
    });
    const dir = await Deno.makeTempDir({ prefix: "scouter-hostile-" });
    const server = await startServer(dir, {
      OPENROUTER_API_KEY: TEST_KEY,
      OPENROUTER_BASE_URL: fake.url,
      OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS: "0",
      OPENROUTER_SCOUT_CONCURRENCY: "4",
      OPENROUTER_SCOUT_MAX_RETRIES: "0",
      OPENROUTER_SCOUT_RPM: "100000",
    });
    const base = server.base;
    let browser: Browser | undefined;
    try {
      await waitFor("the scan", async () => {
        const [run] = await (await fetch(`${base}/api/runs`)).json();
        return run?.status === "completed" ? run : null;
      });
      // Stored as given: the API returns every hostile string unchanged.
      const api: { model_id: string; name: string }[] = await (await fetch(`${base}/api/models`))
        .json();
      const ids = api.map((m) => m.model_id);
      for (const m of HOSTILE) {
        assert.equal(api.find((x) => x.model_id === m.id)?.name, m.name, m.id);
      }
      assert.ok(ids.includes("types/num-name:free") && ids.includes("types/arrays:free"));
      assert.ok(!ids.includes("12345"), "an entry without a string id is dropped");
      const big =
        await (await fetch(`${base}/api/models/${encodeURIComponent("evil/script:free")}`))
          .json();
      assert.equal(big.description.length, HOSTILE[1].description!.length, "100 KB kept whole");

      browser = await launchBrowser();
      await withPage(browser, async (page, problems) => {
        await page.goto(`${base}/`);
        await page.waitForSelector("[data-island=ModelTable][data-hydrated]");
        await assertClean(page, "/");
        const text = await page.locator("main").innerText();
        assert.ok(
          text.includes(`<img src=x onerror="window.__pwned=1">Img`),
          "markup shown as text",
        );
        // Interactions re-render the hostile rows in the browser.
        await page.fill("input[name=q]", "evil");
        await page.locator("th", { hasText: "Uptime 24h" }).locator("button").click();
        await page.fill("input[name=q]", "");
        await assertClean(page, "/ after search and sort");

        // Every model's page, through its own link in the table.
        const hrefs = await page.locator("[data-island=ModelTable] tbody a[href^='/models/']")
          .evaluateAll((links) => [...new Set(links.map((a) => a.getAttribute("href")!))]);
        assert.ok(hrefs.length >= HOSTILE.length + 2, `${hrefs.length} model links`);
        for (const href of hrefs) {
          const res = await page.goto(base + href);
          assert.equal(res?.status(), 200, href);
          await assertClean(page, href);
        }
        // Odd ids land on their own page.
        for (const m of HOSTILE.slice(8)) {
          await page.goto(`${base}/models/${encodeURIComponent(m.id)}`);
          assert.ok((await page.locator("h1").innerText()).includes(m.name!), m.id);
        }
        await page.goto(`${base}/models/${encodeURIComponent("evil/script:free")}`);
        assert.ok((await page.locator("main").innerText()).includes("<script>window.__pwned=5"));
        await assertClean(page, "the 100 KB description");
        await page.goto(`${base}/runs`);
        await assertClean(page, "/runs");
        assert.deepEqual(problems.errors, [], "no console error, CSP report or failed request");
      });

      // Without JavaScript: the same markup, just as inert.
      await withPage(browser, async (page) => {
        await page.goto(`${base}/`);
        await assertClean(page, "/ without JS");
      }, { javaScriptEnabled: false });

      // The CSP is live: even a script that did get into the page would not run.
      await withPage(browser, async (page, problems) => {
        await page.goto(`${base}/`);
        const ran = await page.evaluate(() => {
          const s = document.createElement("script");
          s.textContent = "window.__inline = 1";
          document.head.append(s);
          return (globalThis as { __inline?: number }).__inline ?? null;
        });
        assert.equal(ran, null, "an inline script is refused");
        assert.ok(
          problems.errors.some((e) => /Content Security Policy/i.test(e)),
          problems.errors.join("\n"),
        );
      });
    } finally {
      await browser?.close();
      await server.stop();
      await fake.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
