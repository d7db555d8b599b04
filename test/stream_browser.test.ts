/**
 * Two members in headless chromium, twice (JavaScript on, then off): Ann posts with a content
 * warning and an image with alt text, mentioning Bob; Bob sees the unread count, likes, boosts and
 * replies; Ann sees the notifications and the count, and marks them read. With JavaScript, posting,
 * liking, boosting, replying and loading older posts happen in place (no page load) and the badge
 * refreshes by polling.
 * Every page visited, and every state after an in-place update, must be free of axe violations
 * (and, on Bob's phone-sized screen, of sideways scrolling).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { axeClean, launchBrowser } from "./support/browser.ts";
import { PASSWORD, testCamp, type TestCamp } from "./support/camp.ts";
import { pngWithMetadata } from "./support/images.ts";
import { postAs } from "./support/posts.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

async function logIn(page: Page, origin: string, handle: string) {
  await page.goto(`${origin}/login`);
  await page.getByLabel("Handle", { exact: true }).fill(handle);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Log in" }).click()]);
  await axeClean(page);
}

/** Counts full page loads, so the JavaScript run can prove an action happened in place. */
function loadCounter(page: Page) {
  let loads = 0;
  page.on("load", () => { loads++; });
  return () => loads;
}

const badgeText = (page: Page) => page.locator("#unread-count").innerText();

/** Clicks a button; without JavaScript waits for the page that follows, with it waits for htmx's answer. */
async function press(page: Page, js: boolean, locator: ReturnType<Page["locator"]>, url: RegExp) {
  if (js) {
    await Promise.all([page.waitForResponse((r) => url.test(r.url()) && r.request().method() === "POST"), locator.click()]);
  } else {
    await Promise.all([page.waitForNavigation(), locator.click()]);
  }
}

async function story(js: boolean) {
  const camp: TestCamp = await testCamp();
  await camp.serve();
  const origin = camp.config.origin;
  await camp.addMember("ann");
  const bobId = await camp.addMember("bob");
  const annContext = await browser.newContext({ javaScriptEnabled: js });
  // Bob reads on a phone.
  const bobContext = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 375, height: 740 } });
  try {
    const ann = await annContext.newPage();
    const bob = await bobContext.newPage();
    const errors: string[] = [];
    for (const page of [ann, bob]) page.on("pageerror", (e) => errors.push(String(e)));
    if (js) await ann.clock.install();
    await logIn(ann, origin, "ann");
    await logIn(bob, origin, "bob");
    const annLoads = loadCounter(ann);
    const bobLoads = loadCounter(bob);

    // Ann writes on Home: content warning, mention, tag, and an image with its description.
    await ann.goto(`${origin}/`);
    await axeClean(ann);
    await ann.getByLabel("Content warning (optional)").fill("garden spoilers");
    const text = ann.getByLabel("Write a post");
    await text.fill("Look at my tomatoes, @bob! #garden");
    if (js) await expect(ann.locator("#compose-source-count").innerText()).resolves.toBe("34 of 5000 characters");
    await ann.locator("details.images summary").click();
    await ann.locator("#compose-image-0").setInputFiles({ name: "tomatoes.png", mimeType: "image/png", buffer: Buffer.from(pngWithMetadata().file) });
    await ann.locator("#compose-alt-0").fill("Three red tomatoes on the vine");
    const loadsBefore = annLoads();
    await press(ann, js, ann.getByRole("button", { name: "Post", exact: true }), /\/posts$/);
    const post = ann.locator("article.post").filter({ hasText: "garden spoilers" }).first();
    await post.waitFor();
    if (js) {
      expect(annLoads()).toBe(loadsBefore);
      await expect(ann.getByLabel("Write a post").inputValue()).resolves.toBe("");
    }
    await axeClean(ann);
    // The text is folded behind the warning until opened; then the image shows with its alt text.
    await expect(post.locator(".content").isVisible()).resolves.toBe(false);
    await post.locator("details.cw summary").click();
    const image = post.getByRole("img", { name: "Three red tomatoes on the vine" });
    await image.waitFor({ state: "visible", timeout: 5000 });
    await expect(image.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))).resolves.toBeGreaterThan(0);
    const postId = Number((await post.getAttribute("id"))!.replace("post-", ""));

    // Bob was mentioned: the count is in his navigation after a plain reload.
    await bob.goto(`${origin}/camp`);
    await expect(badgeText(bob)).resolves.toContain("1");
    await axeClean(bob);
    const bobsView = bob.locator(`#post-${postId}`);
    const bobLoadsBefore = bobLoads();
    await press(bob, js, bobsView.getByRole("button", { name: "Like" }), /\/like$/);
    await expect(bob.locator(`#post-${postId}`).getByRole("button", { name: "Unlike" }).isVisible()).resolves.toBe(true);
    await press(bob, js, bob.locator(`#post-${postId}`).getByRole("button", { name: "Boost" }), /\/boost$/);
    await expect(bob.locator(`#post-${postId}`).getByRole("button", { name: "Undo boost" }).isVisible()).resolves.toBe(true);
    await expect(bob.locator(`#post-${postId}`).innerText()).resolves.toContain("1 like");
    if (js) expect(bobLoads()).toBe(bobLoadsBefore);
    await axeClean(bob);

    // Reply: one step from the post.
    await Promise.all([bob.waitForNavigation(), bob.locator(`#post-${postId}`).getByRole("link", { name: "Reply" }).click()]);
    await axeClean(bob);
    await bob.getByLabel("Reply to @ann").fill("They look great, @ann");
    const beforeReply = bobLoads();
    await press(bob, js, bob.getByRole("button", { name: "Reply", exact: true }), /\/posts$/);
    const reply = bob.locator("ol.replies article.post").filter({ hasText: "They look great" });
    await reply.waitFor();
    if (js) expect(bobLoads()).toBe(beforeReply);
    await axeClean(bob);

    // Ann: the badge counts like, boost and reply. With JavaScript it refreshes itself by polling.
    if (js) {
      await ann.clock.runFor(31_000);
      await ann.waitForFunction(() => document.querySelector("#unread-count")?.textContent?.includes("3"));
    } else {
      await ann.reload();
    }
    await expect(badgeText(ann)).resolves.toContain("3");
    await Promise.all([ann.waitForNavigation(), ann.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Notifications/ }).click()]);
    await axeClean(ann);
    const list = await ann.locator("main").innerText();
    for (const line of ["Bob liked your post", "Bob boosted your post", "Bob replied to your post"]) expect(list).toContain(line);
    await Promise.all([ann.waitForNavigation(), ann.getByRole("button", { name: "Mark all read" }).click()]);
    await expect(badgeText(ann)).resolves.toBe("");
    await axeClean(ann);

    // The thread shows the reply under the post, and Ann's Home shows her post with its counts.
    await ann.goto(`${origin}/posts/${postId}`);
    await expect(ann.locator("ol.replies").getAttribute("aria-label")).resolves.toBe("Replies to @ann");
    await axeClean(ann);
    await ann.goto(`${origin}/tags/garden`);
    await expect(ann.locator(`#post-${postId}`).innerText()).resolves.toContain("1 boost");
    await axeClean(ann);

    // Load more: older posts join the same page (with JavaScript) or open the next page (without).
    for (let i = 0; i < 25; i++) await postAs(camp, bobId, { source: `filler ${i}` });
    await bob.goto(`${origin}/camp`);
    const firstPage = await bob.locator("article.post").count();
    expect(firstPage).toBe(20);
    const beforeMore = bobLoads();
    if (js) {
      await Promise.all([bob.waitForResponse((r) => r.url().includes("before=")), bob.getByRole("link", { name: "Older posts" }).click()]);
      await bob.locator("article.post").nth(firstPage).waitFor();
      expect(bobLoads()).toBe(beforeMore);
      expect(await bob.locator("article.post").count()).toBeGreaterThan(firstPage);
    } else {
      await Promise.all([bob.waitForNavigation(), bob.getByRole("link", { name: "Older posts" }).click()]);
      expect(bob.url()).toContain("before=");
      expect(await bob.locator("article.post").count()).toBeGreaterThan(0);
    }
    await axeClean(bob);
    expect(errors).toEqual([]);
  } finally {
    await annContext.close();
    await bobContext.close();
    await camp.close();
  }
}

/** The pages the story does not pass through, each checked with axe once it has something on it. */
async function otherPages() {
  const camp: TestCamp = await testCamp();
  await camp.serve();
  const origin = camp.config.origin;
  const annId = await camp.addMember("ann");
  const bobId = await camp.addMember("bob");
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const ann = await context.newPage();
    await logIn(ann, origin, "ann");
    const post = await postAs(camp, annId, { source: "first *draft*", contentWarning: "long", audience: "camp" });
    await postAs(camp, bobId, { source: "a muted thought about kale" });
    const client = await camp.loggedIn("ann");
    expect((await client.post(`/posts/${post}/edit`, { source: "second draft", audience: "followers", confirmWiden: "yes" })).status).toBe(303);
    await client.post(`/accounts/${bobId}/follow`);
    await client.post(`/accounts/${bobId}/hide-boosts`);
    await client.post("/filters/words", { word: "kale", action: "collapse" });
    for (const path of [`/posts/${post}/edit`, `/posts/${post}/history`, "/filters", "/@bob/followers", "/@ann/following", "/@bob", "/notifications", "/camp"]) {
      const response = await ann.goto(`${origin}${path}`);
      expect(response?.status(), path).toBe(200);
      await axeClean(ann);
    }
    // A refused post without JavaScript comes back on its own page with the message.
    await ann.goto(`${origin}/camp`);
    await ann.goto(`${origin}/`);
    await ann.getByLabel("Write a post").fill("x".repeat(5001));
    await Promise.all([ann.waitForNavigation(), ann.getByRole("button", { name: "Post", exact: true }).click()]);
    await expect(ann.getByRole("alert").first().innerText()).resolves.toContain("at most 5000 characters");
    await axeClean(ann);
  } finally {
    await context.close();
    await camp.close();
  }
}

describe("two members in a browser", () => {
  test("the edit, history, filters, follow lists, profile and notifications pages are axe-clean", () => otherPages(), 60_000);
  test("with JavaScript: everything happens in place", () => story(true), 60_000);
  test("without JavaScript: every step works as plain forms and links", () => story(false), 60_000);
});
