/**
 * A member in headless chromium, twice (JavaScript on, then off): searches from the header box,
 * refines the search on the search page (with JavaScript the results change in place as she types),
 * opens a result, saves it and finds it on her Saved page, votes in a poll, and makes an exclusive
 * list of someone she follows, whose posts then show in the list and not on Home. Every page, and
 * every state after an in-place update, must be free of axe violations and of sideways scrolling
 * on a phone-sized screen.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { axeClean, launchBrowser } from "./support/browser.ts";
import { PASSWORD, testCamp } from "./support/camp.ts";
import { follows, postAs } from "./support/posts.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** Clicks; without JavaScript waits for the next page, with it for htmx's answer to a request matching `url`. */
async function press(page: Page, js: boolean, locator: ReturnType<Page["locator"]>, url: RegExp) {
  if (js) await Promise.all([page.waitForResponse((r) => url.test(r.url())), locator.click()]);
  else await Promise.all([page.waitForNavigation(), locator.click()]);
}

async function story(js: boolean) {
  const camp = await testCamp();
  await camp.serve();
  const origin = camp.config.origin;
  const ann = await camp.addMember("ann");
  const bob = await camp.addMember("bob");
  await follows(camp, ann, bob);
  const jam = await postAs(camp, bob, { source: "My apricot jam recipe: apricots, sugar, patience." });
  await postAs(camp, bob, { source: "Apricot trees need sun." });
  const poll = await postAs(camp, bob, { source: "Where shall we meet?", poll: { options: ["The lake", "The market"], multiple: false, closesAt: Date.now() + 3600_000 } });
  const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 375, height: 740 } });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    let loads = 0;
    page.on("load", () => { loads++; });
    await page.goto(`${origin}/login`);
    await page.getByLabel("Handle", { exact: true }).fill("ann");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Log in" }).click()]);
    await axeClean(page);

    // Search from the header box, on any page.
    await page.getByLabel("Search posts, people and tags").fill("apricot");
    await Promise.all([page.waitForNavigation(), page.getByLabel("Search posts, people and tags").press("Enter")]);
    expect(new URL(page.url()).pathname).toBe("/search");
    await expect(page.locator("#search-results mark").first().innerText()).resolves.toMatch(/apricot/i);
    await expect(page.locator("#search-results .hit").count()).resolves.toBe(2);
    await axeClean(page);

    // Refine on the search page: with JavaScript the results follow the typing without a page load.
    const before = loads;
    if (js) {
      await Promise.all([
        page.waitForResponse((r) => r.url().includes("/search?") && r.url().includes("jam")),
        page.getByLabel("Search for").fill("apricot jam"),
      ]);
      await page.locator("#search-results .hit").nth(1).waitFor({ state: "detached" });
      expect(loads).toBe(before);
      expect(page.url()).toContain("q=apricot+jam");
    } else {
      await page.getByLabel("Search for").fill("apricot jam");
      await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Search", exact: true }).last().click()]);
    }
    await expect(page.locator("#search-results .hit").count()).resolves.toBe(1);
    await expect(page.locator("#search-results mark").allInnerTexts()).resolves.toEqual(["apricot", "jam"]);
    await axeClean(page);

    // Open the result and save it; it is then on the Saved page.
    await Promise.all([page.waitForNavigation(), page.locator("#search-results .hit a[href^='/posts/']").first().click()]);
    expect(new URL(page.url()).pathname).toBe(`/posts/${jam}`);
    const card = page.locator(`#post-${jam}`);
    await press(page, js, card.getByRole("button", { name: "Save", exact: true }), /\/save$/);
    await expect(page.locator(`#post-${jam}`).getByRole("button", { name: "Unsave" }).isVisible()).resolves.toBe(true);
    await axeClean(page);
    await page.goto(`${origin}/settings`);
    await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "Saved posts" }).click()]);
    await expect(page.locator(`#post-${jam}`).isVisible()).resolves.toBe(true);
    await axeClean(page);

    // Vote in the poll: results appear once she has voted.
    await page.goto(`${origin}/posts/${poll}`);
    const box = page.locator(`#post-${poll} .poll`);
    await expect(box.locator(".poll-results").count()).resolves.toBe(0);
    await box.getByLabel("The lake").check();
    await axeClean(page);
    await press(page, js, box.getByRole("button", { name: "Vote" }), /\/vote$/);
    await expect(page.locator(`#post-${poll} .poll-results`).innerText()).resolves.toContain("The lake (your choice) 1 vote, 100%");
    await axeClean(page);
    expect(await camp.db.selectFrom("poll_votes").select("position").where("poll_id", "=", poll).execute()).toEqual([{ position: 0 }]);

    // Make an exclusive list of Bob: his posts are read there, and leave Home.
    await page.goto(`${origin}/settings`);
    await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "Lists" }).click()]);
    await axeClean(page);
    await page.getByLabel("Name").fill("Jam makers");
    await page.getByLabel(/Exclusive/).check();
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Make list" }).click()]);
    await axeClean(page);
    await page.locator("details.list-settings summary").click();
    await page.getByLabel("Add someone you follow").selectOption({ label: "Bob (@bob)" });
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Add to list" }).click()]);
    await expect(page.locator(`#post-${jam}`).isVisible()).resolves.toBe(true);
    await axeClean(page);
    await page.goto(`${origin}/`);
    await expect(page.locator(`#post-${jam}`).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
    await camp.close();
  }
}

describe("searching, saving, voting and making a list in a real browser", () => {
  test("with JavaScript", () => story(true), 120_000);
  test("without JavaScript", () => story(false), 120_000);
});
