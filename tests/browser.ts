/**
 * Real-browser tests: Debian's chromium driven by playwright-core (never a downloaded
 * browser). Where /usr/bin/chromium is missing they are skipped — except in CI, where
 * .ci/run installs chromium and sets SCOUTER_REQUIRE_BROWSER=1, so a missing browser fails
 * them instead of hiding them.
 */
import type { Browser, Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export function hasChromium(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

/** `ignore:` for browser tests: skip only where no browser is required. */
export const SKIP_BROWSER_TESTS = !hasChromium() &&
  Deno.env.get("SCOUTER_REQUIRE_BROWSER") !== "1";

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"],
  });
}

/** What went wrong on the page: console errors, uncaught exceptions, failed requests. */
export interface PageProblems {
  errors: string[];
}

/**
 * Open a fresh page (its own context: no shared storage or cookies), run `fn`, close it.
 * Console errors, page errors, dialogs, HTTP errors and failed requests go to
 * `problems.errors`.
 */
export async function withPage(
  browser: Browser,
  fn: (page: Page, problems: PageProblems) => Promise<void>,
  options: {
    colorScheme?: "light" | "dark";
    javaScriptEnabled?: boolean;
    viewport?: { width: number; height: number };
  } = {},
): Promise<void> {
  const context = await browser.newContext({ colorScheme: "light", ...options });
  const page = await context.newPage();
  const problems: PageProblems = { errors: [] };
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.errors.push(`pageerror: ${err.message}`));
  // A dialog is an alert() that ran: a script from somewhere that should not have run.
  page.on("dialog", (d) => {
    problems.errors.push(`dialog: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on("response", (res) => {
    if (res.status() >= 400) problems.errors.push(`http ${res.status()}: ${res.url()}`);
  });
  page.on("requestfailed", (req) => {
    const why = req.failure()?.errorText ?? "";
    // Leaving a page cancels what it still loads (the favicon, a poll): not a failure.
    if (why === "net::ERR_ABORTED") return;
    problems.errors.push(`requestfailed: ${req.url()} ${why}`);
  });
  try {
    await fn(page, problems);
  } finally {
    await context.close();
  }
}
