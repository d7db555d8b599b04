/**
 * In headless chromium with JavaScript off: a member opens her feeds from Settings, adds her blog's
 * feed (served on loopback), sees its entries in the Camp stream marked with their origin, and a
 * friend comments on one. Every page is free of axe violations, the webhooks page too.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { axeClean, clickAndWait, launchBrowser, logIn as logInAs } from "./support/browser.ts";
import { PASSWORD } from "./support/camp.ts";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import { rss, startFeedSite, xml, type FeedSite } from "./support/feedServer.ts";

setDefaultTimeout(60_000);

let browser: Browser;
let camp: FederatedCamp;
let site: FeedSite;
beforeAll(async () => {
  browser = await launchBrowser();
  site = await startFeedSite();
  camp = await federatedCamp();
});
afterAll(async () => {
  await browser?.close();
  await camp?.close();
  await site?.close();
});

const logIn = (page: Page, handle: string) => logInAs(page, camp.config.origin, handle, PASSWORD);
const click = clickAndWait;

test("without JavaScript, a member adds her blog's feed, its entries show in the stream, and a friend comments on one", async () => {
  await camp.addMember("alice");
  await camp.addMember("bob");
  site.routes.set("/rss.xml", () => xml(rss([
    { id: "b1", title: "Planting tomatoes", link: "https://blog.example/tomatoes", html: "<p>It is <em>that</em> time of year.</p>", date: "2025-04-01T10:00:00Z" },
    { id: "b2", title: "The first harvest", link: "https://blog.example/harvest", html: "<p>Twelve tomatoes!</p>", date: "2025-07-01T10:00:00Z" },
  ])));

  const alice = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await logIn(alice, "alice");
  await alice.goto(`${camp.config.origin}/settings`);
  await click(alice, alice.getByRole("link", { name: "Your feeds" }));
  await axeClean(alice);
  await alice.getByLabel("Address of the feed or of your site").fill(`${site.origin}/rss.xml`);
  await alice.getByLabel("Label (optional)").fill("My garden blog");
  await click(alice, alice.getByRole("button", { name: "Add feed" }));
  expect(await alice.getByRole("status").innerText()).toContain("The feed is added");
  await camp.settle();
  await alice.reload();
  const main = await alice.locator("main").innerText();
  expect(main).toContain("My garden blog");
  expect(main).toContain("2 new, 0 updated");
  await axeClean(alice);
  await alice.setViewportSize({ width: 375, height: 800 });
  await axeClean(alice);
  await alice.setViewportSize({ width: 1280, height: 800 });

  await alice.goto(`${camp.config.origin}/settings/webhooks`);
  await axeClean(alice);

  const bob = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await logIn(bob, "bob");
  await bob.goto(`${camp.config.origin}/camp`);
  const stream = await bob.locator("main").innerText();
  expect(stream).toContain("The first harvest");
  expect(stream).toContain("from blog.example");
  expect(stream.indexOf("The first harvest")).toBeLessThan(stream.indexOf("Planting tomatoes"));
  await axeClean(bob);
  const card = bob.locator("article.post", { hasText: "The first harvest" });
  await click(bob, card.getByRole("link", { name: "Reply" }));
  await bob.getByLabel("Reply to @alice").fill("Congratulations on the harvest!");
  await click(bob, bob.getByRole("button", { name: "Reply", exact: true }));
  await camp.settle();
  await alice.goto(bob.url().split("#")[0]!);
  const thread = await alice.locator("main").innerText();
  expect(thread).toContain("The first harvest");
  expect(thread).toContain("Congratulations on the harvest!");
  await axeClean(alice);
});
