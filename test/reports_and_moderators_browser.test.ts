/**
 * In headless chromium with JavaScript off: a member reports a post from the camp stream with
 * the Report link and its form; a moderator finds it in the report queue (counted in the
 * navigation), removes the post and resolves the report. Every page is free of axe violations.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { axeClean, clickAndWait, launchBrowser, logIn as logInAs } from "./support/browser.ts";
import { PASSWORD, testCamp, type TestCamp } from "./support/camp.ts";
import { postAs } from "./support/posts.ts";

setDefaultTimeout(30_000);

let browser: Browser;
let camp: TestCamp;
beforeAll(async () => {
  browser = await launchBrowser();
  camp = await testCamp();
  await camp.serve();
});
afterAll(async () => {
  await browser?.close();
  await camp?.close();
});

const logIn = (page: Page, handle: string) => logInAs(page, camp.config.origin, handle, PASSWORD);
const click = clickAndWait;

test("without JavaScript, a member reports a post and a moderator removes it and resolves the report", async () => {
  await camp.addMember("mona", "moderator");
  const alice = await camp.addMember("alice");
  await camp.addMember("bob");
  await postAs(camp, alice, { source: "A rude remark about everyone" });

  const bob = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await logIn(bob, "bob");
  await bob.goto(`${camp.config.origin}/camp`);
  await click(bob, bob.getByRole("link", { name: "Report" }));
  expect(new URL(bob.url()).pathname).toMatch(/^\/posts\/\d+\/report$/);
  expect(await bob.locator("main").innerText()).toContain("A rude remark about everyone");
  await axeClean(bob);
  await bob.getByLabel("What is wrong (optional)").fill("This is unkind");
  await click(bob, bob.getByRole("button", { name: "Send report" }));
  expect(await bob.getByRole("status").innerText()).toContain("moderators will look at your report");
  await axeClean(bob);

  const mona = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await logIn(mona, "mona");
  const nav = mona.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Reports/ });
  expect(await nav.innerText()).toContain("1");
  await click(mona, nav);
  expect(await mona.locator("main").innerText()).toContain("This is unkind");
  await axeClean(mona);
  await click(mona, mona.getByRole("button", { name: "Remove this post" }));
  expect(await mona.getByRole("status").innerText()).toBe("The post is removed and the report resolved.");
  expect(await mona.locator("main").innerText()).toContain("No open reports.");
  await axeClean(mona);

  await bob.goto(`${camp.config.origin}/camp`);
  expect(await bob.locator("main").innerText()).not.toContain("A rude remark about everyone");
});

test("without JavaScript, a moderator suspends a member with a note, and the operator reads it in the audit log and opens the status page", async () => {
  await camp.addMember("olive", "operator");
  await camp.addMember("dave");
  const mona = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await logIn(mona, "mona");
  await mona.goto(`${camp.config.origin}/moderation/reports`);
  await click(mona, mona.getByRole("link", { name: "Suspend or reinstate members" }));
  await axeClean(mona);
  await mona.getByRole("row", { name: /@dave/ }).getByLabel("Note (optional)").fill("Kept posting spam");
  await click(mona, mona.getByRole("button", { name: "Suspend @dave" }));
  expect(await mona.getByRole("status").innerText()).toBe("The member is suspended.");
  expect(await mona.getByRole("button", { name: "Reinstate @dave" }).count()).toBe(1);
  await axeClean(mona);

  const olive = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await logIn(olive, "olive");
  await olive.goto(`${camp.config.origin}/admin`);
  await click(olive, olive.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Moderation log" }));
  const log = await olive.locator("main").innerText();
  expect(log).toContain("@mona");
  expect(log).toContain("suspended @dave");
  expect(log).toContain("Kept posting spam");
  await axeClean(olive);
  await click(olive, olive.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Status" }));
  expect(await olive.locator("main").innerText()).toContain("Kith version");
  await axeClean(olive);
});
