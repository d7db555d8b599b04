/**
 * Following someone on another server from the web pages alone, in headless chromium with
 * JavaScript off: log in, look up @pat on the Fedify peer, follow (pending until the peer
 * accepts), then unfollow. The operator's federation page works the same way. Every page
 * visited is free of axe violations.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { Accept } from "@fedify/vocab";
import { accessibilityViolations, launchBrowser } from "./support/browser.ts";
import { PASSWORD } from "./support/camp.ts";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import { startFedifyPeer, type FedifyPeer } from "./support/fedifyPeer.ts";

let browser: Browser;
let camp: FederatedCamp;
let peer: FedifyPeer;

beforeAll(async () => {
  browser = await launchBrowser();
  peer = await startFedifyPeer();
  camp = await federatedCamp();
  await camp.addMember("olive", "operator");
  await camp.addMember("alice");
});
afterAll(async () => {
  await browser?.close();
  await camp.close();
  await peer.close();
});

async function loggedInPage(handle: string): Promise<Page> {
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await page.goto(`${camp.config.origin}/login`);
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Password").fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Log in" }).click()]);
  return page;
}

async function click(page: Page, button: string) {
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: button }).click()]);
  expect(await accessibilityViolations(page), `axe on ${page.url()}`).toEqual([]);
}

test("a member finds, follows and unfollows someone on another server with plain forms", async () => {
  const page = await loggedInPage("alice");
  await page.goto(`${camp.config.origin}/remote`);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByLabel("Handle or profile address").fill(`@pat@${new URL(peer.origin).host}`);
  await click(page, "Look up");
  expect(new URL(page.url()).pathname).toMatch(/^\/remote\/\d+$/);
  expect(await page.textContent("main")).toContain(`@pat@${new URL(peer.origin).host}`);

  await click(page, `Follow @pat@${new URL(peer.origin).host}`);
  expect(await page.textContent("main")).toContain("Requested");
  await camp.settle();
  const follow = await peer.waitFor((a) => a.type === "Follow", "the Follow");
  const alice = await peer.lookup(`${camp.config.origin}/users/alice`);
  await peer.send("pat", alice as never, new Accept({ id: new URL(`${peer.origin}/accepts/b1`), actor: new URL(peer.actorUri("pat")), object: new URL(follow.id!) }));
  await page.reload();
  await click(page, `Unfollow @pat@${new URL(peer.origin).host}`);
  await camp.settle();
  await peer.waitFor((a) => a.type === "Undo", "the Undo of the Follow");
  expect(await page.getByRole("button", { name: `Follow @pat@${new URL(peer.origin).host}` }).count()).toBe(1);

  await page.goto(`${camp.config.origin}/remote`);
  await page.getByLabel("Handle or profile address").fill("not a handle");
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Look up" }).click()]);
  expect(await page.textContent("main")).toContain("Type a handle like");
  expect(await accessibilityViolations(page)).toEqual([]);
}, 60_000);

test("a member turns on approving followers on the follow requests page", async () => {
  const page = await loggedInPage("alice");
  await page.goto(`${camp.config.origin}/follow-requests`);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByLabel(/Approve new followers myself/).check();
  await click(page, "Save");
  const alice = await camp.db.selectFrom("accounts").select("locked").where("handle", "=", "alice").executeTakeFirstOrThrow();
  expect(alice.locked).toBe(1);
  expect(await page.textContent("main")).toContain("Nobody is waiting.");
}, 60_000);

test("the operator blocks a domain and switches modes on the federation page", async () => {
  const page = await loggedInPage("olive");
  await page.goto(`${camp.config.origin}/admin/federation`);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByLabel("Domain", { exact: true }).fill("spam.example");
  await click(page, "Add rule");
  expect(await page.textContent("main")).toContain("spam.example");
  await page.getByLabel(/Allowlist/).check();
  await click(page, "Save");
  const camp_ = await camp.db.selectFrom("camp").select("federation_mode").executeTakeFirstOrThrow();
  expect(camp_.federation_mode).toBe("allowlist");
  await click(page, "Remove rule for spam.example");
  expect(await camp.db.selectFrom("domain_rules").selectAll().execute()).toEqual([]);
}, 60_000);
