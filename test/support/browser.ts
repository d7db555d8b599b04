/**
 * Headless Debian chromium driven by playwright-core, with the flags this closed network
 * needs, and axe-core run inside the page. Playwright gives every launch a fresh profile.
 */
import { expect } from "bun:test";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const CHROMIUM = process.env.KITH_CHROMIUM ?? "/usr/bin/chromium";
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync",
    ],
  });
}

/** Logs in through the login form, as a person would. */
export async function logIn(page: Page, origin: string, handle: string, password: string): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.getByLabel("Handle", { exact: true }).fill(handle);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Log in" }).click()]);
}

/** Clicks something that loads a new page, and waits for it. */
export const clickAndWait = (page: Page, locator: Locator) => Promise.all([page.waitForNavigation(), locator.click()]);

/** Runs axe-core on the page and returns its violations in a form that reads well in a failed assertion. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  try {
    return await violationsNow(page);
  } catch (error) {
    // On a loaded machine a form's navigation can still be landing when the click's wait resolved
    // (seen once in a full run: "Execution context was destroyed"); check the page it lands on.
    if (!String(error).includes("Execution context was destroyed")) throw error;
    await page.waitForLoadState("load");
    return violationsNow(page);
  }
}

async function violationsNow(page: Page): Promise<string[]> {
  if (await scriptingEnabled(page)) return runAxe(page);
  // Where JavaScript is off, timers never fire and axe needs them. So the same markup is checked at the
  // same address and size in a scratch context where scripts run, with the page's own scripts blocked.
  const html = await page.content();
  const url = page.url();
  const scratch = await scratchPage(page);
  await scratch.setViewportSize(page.viewportSize() ?? { width: 1280, height: 720 });
  await scratch.unrouteAll();
  await scratch.route((u) => u.href === url, (route) => route.fulfill({ body: html, contentType: "text/html; charset=utf-8" }));
  await scratch.route("**/*.js", (route) => route.abort());
  await scratch.goto(url);
  return runAxe(scratch);
}

/** One scripted scratch page per browser, made on first need and closed with the browser. */
const scratchPages = new WeakMap<Browser, Promise<Page>>();
function scratchPage(page: Page): Promise<Page> {
  const browser = page.context().browser()!;
  if (!scratchPages.has(browser)) scratchPages.set(browser, browser.newContext().then((context) => context.newPage()));
  return scratchPages.get(browser)!;
}

/** With scripting off, <noscript> content parses as markup; with it on, as text. Needs no timers. */
function scriptingEnabled(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const probe = document.createElement("noscript");
    probe.innerHTML = "<i></i>";
    return probe.firstChild?.nodeType === Node.TEXT_NODE;
  });
}

async function runAxe(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe.run();
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`);
  });
}

/** No axe violations, and (on a phone-sized screen) no sideways scrolling: the bar for every page a browser test visits. */
export async function axeClean(page: Page): Promise<void> {
  const path = new URL(page.url()).pathname;
  expect(await accessibilityViolations(page), `axe on ${path}`).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `sideways scroll on ${path}`).toBeLessThanOrEqual(0);
}
