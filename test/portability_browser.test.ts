/**
 * In headless chromium with JavaScript off: a member finds "Your data" in Settings, asks for an
 * archive, watches it being made, downloads it; imports a follows CSV and sees its progress row by
 * row; the moving and deletion pages render; a member blocks and unblocks a domain in Settings.
 * Every page is free of axe violations.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { accessibilityViolations, launchBrowser, logIn } from "./support/browser.ts";
import { PASSWORD } from "./support/camp.ts";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import { postAs } from "./support/posts.ts";
import { unpackArchive } from "./support/archives.ts";

setDefaultTimeout(60_000);

let browser: Browser;
let camp: FederatedCamp;
beforeAll(async () => {
  browser = await launchBrowser();
  camp = await federatedCamp();
});
afterAll(async () => {
  await browser?.close();
  await camp?.close();
});

async function axeClean(page: Page) {
  expect(await accessibilityViolations(page), `axe on ${new URL(page.url()).pathname}`).toEqual([]);
}

const click = (page: Page, locator: ReturnType<Page["locator"]>) => Promise.all([page.waitForNavigation(), locator.click()]);

test("without JavaScript, a member exports an archive, downloads it, imports a CSV and follows its progress", async () => {
  const alice = await camp.addMember("alice");
  await camp.addMember("bob");
  await postAs(camp, alice, { source: "A camp-only thought", audience: "camp" });

  const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${camp.config.origin}/login`);
  await page.getByLabel("Handle", { exact: true }).fill("alice");
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await click(page, page.getByRole("button", { name: "Log in" }));

  await page.goto(`${camp.config.origin}/settings`);
  await click(page, page.getByRole("link", { name: "Export your data" }));
  await axeClean(page);
  await click(page, page.getByRole("button", { name: "Make an archive" }));
  expect(await page.getByRole("status").first().innerText()).toContain("Your archive is on its way");
  await axeClean(page);
  await camp.settle();
  await page.reload();
  await axeClean(page);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download your archive" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^kith-archive-alice-\d{4}-\d{2}-\d{2}\.tar$/);
  const archive = unpackArchive(readFileSync((await download.path())!));
  expect(archive.json("outbox.json").orderedItems[0].object.content).toContain("A camp-only thought");
  // Alice has no feed sources, so the archive holds no OPML.
  expect(archive.names).toContain("bookmarks.json");
  expect(archive.names).not.toContain("feeds.opml");

  await page.goto(`${camp.config.origin}/settings`);
  await click(page, page.getByRole("link", { name: "Import from another server" }));
  await axeClean(page);
  await page.getByLabel("What the file holds").selectOption("follows");
  await page.getByLabel("CSV file", { exact: true }).setInputFiles({
    name: "following_accounts.csv", mimeType: "text/csv",
    buffer: Buffer.from(`Account address,Show boosts,Notify on new posts,Languages\nbob@${camp.config.domain},true,false,\nnobody@${camp.config.domain},true,false,\n`),
  });
  await click(page, page.getByRole("button", { name: "Import" }));
  expect(new URL(page.url()).pathname).toMatch(/^\/settings\/import\/\d+$/);
  await axeClean(page);
  await camp.settle();
  await page.reload();
  expect(await page.getByRole("status").innerText()).toContain("done, 2 rows");
  const rows = await page.getByRole("table", { name: "Row by row" }).innerText();
  expect(rows).toMatch(/bob@\S+\tfollowed/);
  expect(rows).toMatch(/nobody@\S+\tnot found/);
  await axeClean(page);

  for (const path of ["/settings/moving", "/settings/delete"]) {
    await page.goto(`${camp.config.origin}${path}`);
    await axeClean(page);
  }
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`${camp.config.origin}/settings/export`);
  await axeClean(page);
});

test("without JavaScript, a member blocks a domain from Settings, sees it listed, is refused their own camp's, and unblocks it", async () => {
  await camp.addMember("dora");
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await logIn(page, camp.config.origin, "dora", PASSWORD);

  await page.goto(`${camp.config.origin}/settings`);
  await click(page, page.getByRole("link", { name: "Blocked domains" }));
  expect(await page.getByText("You block no domains.").count()).toBe(1);
  await axeClean(page);
  await page.getByLabel("Domain", { exact: true }).fill("spam.example");
  await click(page, page.getByRole("button", { name: "Block domain" }));
  expect(await page.getByRole("status").innerText()).toContain("The domain is blocked.");
  expect(await page.getByRole("listitem").filter({ hasText: "spam.example" }).count()).toBe(1);
  await axeClean(page);

  await page.getByLabel("Domain", { exact: true }).fill(camp.config.domain);
  await click(page, page.getByRole("button", { name: "Block domain" }));
  expect(await page.getByRole("alert").first().innerText()).toContain("is this camp's own domain");
  await axeClean(page);

  await click(page, page.getByRole("button", { name: "Unblock spam.example" }));
  expect(await page.getByRole("status").innerText()).toContain("no longer blocked");
  expect(await page.getByText("You block no domains.").count()).toBe(1);
  await page.setViewportSize({ width: 375, height: 800 });
  await axeClean(page);
  await context.close();
});
