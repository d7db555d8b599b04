/**
 * The whole onboarding story in headless chromium, twice: with JavaScript on and with it off.
 * The operator opens the setup link, names the camp and makes an invite; in a second browser the
 * friend joins, logs out and in, edits the profile and uploads an avatar. Every page visited must
 * be free of axe violations, and on a phone-sized screen must not scroll sideways.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { accessibilityViolations, launchBrowser } from "./support/browser.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { solidPng } from "./support/png.ts";
import { issueSetupToken } from "../src/domain/members/setup.ts";
import { setupUrl } from "../src/urls.ts";

const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** One person's browser: every page they land on is checked for accessibility and, on a phone, for sideways scrolling. */
class Person {
  readonly visited: string[] = [];
  readonly errors: string[] = [];

  private constructor(readonly page: Page, private readonly phone: boolean) {
    page.on("pageerror", (error) => this.errors.push(String(error)));
  }

  static async open(context: BrowserContext, phone: boolean): Promise<Person> {
    return new Person(await context.newPage(), phone);
  }

  /** Checks the page the person is on now. */
  async check(): Promise<void> {
    const url = new URL(this.page.url());
    this.visited.push(url.pathname);
    expect(await accessibilityViolations(this.page), `axe on ${url.pathname}`).toEqual([]);
    if (this.phone) {
      const overflow = await this.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `sideways scroll on ${url.pathname}`).toBeLessThanOrEqual(0);
    }
  }

  async goto(url: string): Promise<void> {
    const response = await this.page.goto(url);
    expect(response?.status(), url).toBeLessThan(400);
    await this.check();
  }

  /** Submits by clicking the named button, as a person would, and checks the page that follows. */
  async submit(button: string): Promise<void> {
    await Promise.all([this.page.waitForNavigation(), this.page.getByRole("button", { name: button }).click()]);
    await this.check();
  }

  async fill(fields: Record<string, string>): Promise<void> {
    for (const [label, value] of Object.entries(fields)) await this.page.getByLabel(label, { exact: true }).fill(value);
  }

  text(): Promise<string> {
    return this.page.locator("main").innerText();
  }
}

async function story(javaScriptEnabled: boolean) {
  const camp: TestCamp = await testCamp();
  await camp.serve();
  // In the JS run the operator is on a desktop and the friend on a phone; without JS, the other way round.
  const operatorContext = await browser.newContext({ javaScriptEnabled, viewport: javaScriptEnabled ? DESKTOP : PHONE });
  const friendContext = await browser.newContext({ javaScriptEnabled, viewport: javaScriptEnabled ? PHONE : DESKTOP });
  try {
    const operator = await Person.open(operatorContext, !javaScriptEnabled);
    const friend = await Person.open(friendContext, javaScriptEnabled);
    const { page: op } = operator;
    const { page: fr } = friend;

    // The operator opens the setup link printed on the console.
    await operator.goto(setupUrl(camp.config.origin, (await issueSetupToken(camp.db))!));
    expect(await operator.text()).toContain("you become the camp's operator");
    await operator.fill({ Handle: "olga", "Display name": "Olga", Password: "a long operator password" });
    await operator.submit("Create the operator account");
    expect(new URL(op.url()).pathname).toBe("/admin");
    expect(await operator.text()).toContain("Welcome! You are the operator.");

    // Keyboard: the skip link is the first Tab stop and takes focus to the main content.
    await op.keyboard.press("Tab");
    expect(await op.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await op.keyboard.press("Enter");
    expect(await op.evaluate(() => document.activeElement?.id)).toBe("main");

    // Camp settings, then the about page shows them.
    await operator.fill({ "Camp name": "Climbing Friends", Description: "People who climb on Thursdays.", Rules: "Be **kind**.", "About page": "We met at the *wall*." });
    await operator.submit("Save settings");
    expect(await operator.text()).toContain("Saved.");
    await operator.goto(`${camp.config.origin}/about`);
    expect(await op.locator("main strong").innerText()).toBe("kind");
    expect(await operator.text()).toContain("We met at the wall.");

    // An invite from the admin page.
    await operator.goto(`${camp.config.origin}/admin/invites`);
    await operator.fill({ "Who is it for?": "Sam from the wall", "Valid for (days)": "3" });
    await operator.submit("Create invite link");
    const link = await op.locator("#new-invite-link").innerText();
    expect(link).toStartWith(`${camp.config.origin}/join/`);

    // The friend joins in their own browser.
    await friend.goto(link);
    expect(await fr.locator("h1").innerText()).toBe("Join Climbing Friends");
    // First a handle that is taken: the refusal page, with its error tied to the field, is checked too.
    await friend.fill({ Handle: "Olga", "Display name": "Sam", Password: "sam's long password" });
    await friend.submit("Join");
    expect(await fr.getByLabel("Handle").getAttribute("aria-invalid")).toBe("true");
    expect(await friend.text()).toContain('The handle "Olga" is taken; pick another.');
    await friend.fill({ Handle: "sam", Password: "sam's long password" });
    await friend.submit("Join");
    expect(new URL(fr.url()).pathname).toBe("/settings");
    expect(await friend.text()).toContain("Welcome! Tell the camp a little about yourself.");

    // Logs out and back in (on a phone, "Log out" is in the navigation's "More" menu).
    const more = fr.locator("details.nav-more > summary");
    if (await more.isVisible()) await more.click();
    await friend.submit("Log out");
    expect(new URL(fr.url()).pathname).toBe("/");
    await Promise.all([fr.waitForNavigation(), fr.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Log in" }).click()]);
    await friend.check();
    await friend.fill({ Handle: "sam", Password: "sam's long password" });
    await friend.submit("Log in");
    expect(new URL(fr.url()).pathname).toBe("/");
    await friend.goto(`${camp.config.origin}/settings`);

    // Edits the profile and uploads an avatar.
    await friend.fill({ "Display name": "Sam the Climber", Bio: "I like **granite**." });
    await friend.submit("Save profile");
    expect(await friend.text()).toContain("Your profile is saved.");
    await fr.getByLabel("Choose an image").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: Buffer.from(solidPng(64, 64)) });
    await friend.submit("Upload avatar");
    expect(await friend.text()).toContain("Your avatar is updated.");
    const avatarWidth = await fr.locator("main img.avatar").evaluate((img) => (img as HTMLImageElement).naturalWidth);
    expect(avatarWidth).toBe(64);

    await friend.goto(`${camp.config.origin}/@sam`);
    expect(await fr.locator(".bio strong").innerText()).toBe("granite");
    await friend.goto(`${camp.config.origin}/members`);
    expect(await friend.text()).toContain("Sam the Climber");

    // The operator sees the new member, ticked as having filled in the profile.
    await operator.goto(`${camp.config.origin}/admin/members`);
    expect(await operator.text()).toContain("@sam");
    await Promise.all([op.waitForNavigation(), op.getByRole("link", { name: "@sam" }).click()]);
    await operator.check();
    expect(await operator.text()).toContain("✓ profile filled in");

    expect(operator.errors).toEqual([]);
    expect(friend.errors).toEqual([]);
    return { operator: operator.visited, friend: friend.visited };
  } finally {
    await operatorContext.close();
    await friendContext.close();
    await camp.close();
  }
}

describe("the onboarding story in a browser", () => {
  test("with JavaScript on", async () => {
    const visited = await story(true);
    expect(visited.friend).toContain("/settings");
  }, 120_000);

  test("with JavaScript off", async () => {
    const visited = await story(false);
    expect(visited.operator).toContain("/admin/invites");
  }, 120_000);
});
