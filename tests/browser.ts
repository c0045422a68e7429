/**
 * Real-browser tests: Debian's chromium driven by playwright-core (never a downloaded
 * browser). Tests skip, saying why, where /usr/bin/chromium is missing; .ci/run installs it.
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

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"],
  });
}

/** What the page complained about: console errors, uncaught exceptions, failed requests. */
export interface PageProblems {
  errors: string[];
}

/**
 * Open a fresh page (its own context: no shared storage or cookies), run `fn`, close it.
 * Console errors, page errors and failed requests are collected into `problems.errors`.
 */
export async function withPage(
  browser: Browser,
  fn: (page: Page, problems: PageProblems) => Promise<void>,
  options: { colorScheme?: "light" | "dark" } = {},
): Promise<void> {
  const context = await browser.newContext({ colorScheme: options.colorScheme ?? "light" });
  const page = await context.newPage();
  const problems: PageProblems = { errors: [] };
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.errors.push(`pageerror: ${err.message}`));
  page.on("requestfailed", (req) => {
    problems.errors.push(`requestfailed: ${req.url()} ${req.failure()?.errorText}`);
  });
  try {
    await fn(page, problems);
  } finally {
    await context.close();
  }
}
