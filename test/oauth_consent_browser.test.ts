/**
 * In headless chromium with JavaScript off, at a phone's width: a member signs an app in through the
 * consent page (app name and scopes shown, Allow sends the browser back to the app with a code), then
 * finds the app under Settings, Apps and revokes it. Every page is free of axe violations.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser } from "playwright-core";
import { axeClean, clickAndWait as click, launchBrowser } from "./support/browser.ts";
import { PASSWORD, testCamp, type TestCamp } from "./support/camp.ts";

setDefaultTimeout(30_000);

let browser: Browser;
let camp: TestCamp;
beforeAll(async () => {
  browser = await launchBrowser();
  camp = await testCamp();
  await camp.serve();
  await camp.addMember("alice");
});
afterAll(async () => {
  await browser?.close();
  await camp?.close();
});

test("without JavaScript, a member allows an app, then revokes it from Settings", async () => {
  // The app's own redirect target: a page on the camp's origin that does not exist, so the browser stops there.
  const redirect = `${camp.config.origin}/app-callback`;
  const registered = await (await fetch(`${camp.config.origin}/api/v1/apps`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: "Pocket Reader", redirect_uris: redirect, scopes: "read write", website: "https://pocket.example" }),
  })).json() as { client_id: string; client_secret: string };

  const page = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 740 } })).newPage();
  await page.goto(`${camp.config.origin}/oauth/authorize?response_type=code&client_id=${registered.client_id}&redirect_uri=${encodeURIComponent(redirect)}&scope=read+write&state=abc`);
  expect(new URL(page.url()).pathname).toBe("/login");
  await page.getByLabel("Handle", { exact: true }).fill("alice");
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await click(page, page.getByRole("button", { name: "Log in" }));

  expect(new URL(page.url()).pathname).toBe("/oauth/authorize");
  const main = await page.locator("main").innerText();
  expect(main).toContain("Pocket Reader");
  expect(main).toContain("read");
  expect(main).toContain("write");
  await axeClean(page);
  await click(page, page.getByRole("button", { name: "Allow" }));
  const back = new URL(page.url());
  expect(back.pathname).toBe("/app-callback");
  expect(back.searchParams.get("state")).toBe("abc");
  const token = await (await fetch(`${camp.config.origin}/oauth/token`, {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code: back.searchParams.get("code")!, client_id: registered.client_id, client_secret: registered.client_secret, redirect_uri: redirect }),
  })).json() as { access_token: string };
  const verify = () => fetch(`${camp.config.origin}/api/v1/accounts/verify_credentials`, { headers: { authorization: `Bearer ${token.access_token}` } });
  expect((await verify()).status).toBe(200);

  await page.goto(`${camp.config.origin}/settings`);
  await click(page, page.getByRole("link", { name: "Apps you have authorized" }));
  expect(await page.locator("main").innerText()).toContain("Pocket Reader");
  await axeClean(page);
  await click(page, page.getByRole("button", { name: "Revoke Pocket Reader" }));
  expect(await page.getByRole("status").innerText()).toContain("Revoked");
  expect(await page.locator("main").innerText()).not.toContain("Pocket Reader");
  await axeClean(page);
  expect((await verify()).status).toBe(401);
});
