/**
 * The look and feel in headless chromium, at 1280 and 375 px wide, with JavaScript on and off, every
 * page axe-clean in light and dark mode (and free of sideways scrolling on the phone):
 * audience badges, the compose button naming the audience and the public warning, hidden zero
 * counts, the action row on one line, default avatars, relative times and the browser's time zone,
 * the folded navigation with its unread count, compose order with the CW toggle, the empty Home,
 * and live updates (JavaScript on only: a post arrives within 2 s, a post the reader may not see never does).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { accessibilityViolations, launchBrowser } from "./support/browser.ts";
import { postAs } from "./support/posts.ts";
import { logInAs, sampleCamp, type SampleCamp } from "../scripts/screenshots.ts";

// Starting chromium and filling the sample camp (four scrypt password hashes) takes seconds on a busy
// machine, and each page is checked by axe twice (light and dark).
setDefaultTimeout(120_000);

let browser: Browser;
let sample: SampleCamp;
let origin: string;
beforeAll(async () => {
  browser = await launchBrowser();
  sample = await sampleCamp();
  origin = sample.camp.config.origin;
});
afterAll(async () => {
  await browser?.close();
  await sample?.camp.close();
});

/** No axe violations in light and dark mode, and no sideways scrolling. */
async function axeClean(page: Page) {
  const path = new URL(page.url()).pathname;
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await accessibilityViolations(page), `axe on ${path} (${colorScheme})`).toEqual([]);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `sideways scroll on ${path}`).toBeLessThanOrEqual(0);
}

async function member(handle: string, width: number, js: boolean, timezoneId = "Asia/Tokyo"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 800 }, javaScriptEnabled: js, timezoneId });
  const page = await context.newPage();
  await logInAs(page, origin, handle);
  return { context, page };
}

/** Asks `read` again every 100 ms until `done` holds or `ms` pass; returns the last answer. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await Bun.sleep(100);
    value = await read();
  }
  return value;
}

const zoneOf = async (handle: string) =>
  (await sample.camp.db.selectFrom("members").innerJoin("accounts", "accounts.id", "members.account_id").select("time_zone").where("handle", "=", handle).executeTakeFirstOrThrow()).time_zone;

for (const width of [1280, 375]) {
  for (const js of [true, false]) {
    describe(`${width} px, JavaScript ${js ? "on" : "off"}`, () => {
      test("Camp: badges, avatars, times, counts and the action row", async () => {
        const { context, page } = await member("bob", width, js);
        try {
          await page.goto(`${origin}/camp`);
          await axeClean(page);
          const cards = page.locator("article.post");
          expect(await cards.count()).toBeGreaterThan(3);
          // Every card names its audience with an icon, words, and "Who can see this:" for screen readers.
          for (const card of await cards.all()) {
            const badge = card.locator(".audience-badge");
            await expect(badge.evaluate((el) => getComputedStyle(el, "::before").maskImage)).resolves.toContain("data:image/svg+xml");
            await expect(badge.textContent()).resolves.toMatch(/^Who can see this: (Camp only|Followers|Public|Unlisted|Direct)$/);
          }
          const colour = (audience: string) => page.locator(`.audience-${audience}`).first().evaluate((el) => getComputedStyle(el).backgroundColor);
          expect(new Set([await colour("camp"), await colour("public"), await colour("followers")]).size).toBe(3);
          // Faces: initials on a colour per person, never a grey box.
          const avatarOf = (name: string) => cards.filter({ hasText: name }).first().locator("svg.avatar");
          await expect(avatarOf("Who is up for the lake").locator("text").textContent()).resolves.toBe("B");
          await expect(avatarOf("book club").locator("text").textContent()).resolves.toBe("A");
          expect(await avatarOf("Who is up for the lake").locator("rect").getAttribute("fill")).not.toBe(await avatarOf("book club").locator("rect").getAttribute("fill"));
          // Relative time, exact local time on hover and in datetime.
          const time = cards.first().locator("time");
          await expect(time.textContent()).resolves.toMatch(/^(just now|\d+ min)$/);
          await expect(time.getAttribute("datetime")).resolves.toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
          await expect(time.getAttribute("title")).resolves.toMatch(/20\d\d at \d\d:\d\d \(/);
          // Counts: "2 likes" where there are some, nothing at all where there are none.
          const liked = cards.filter({ hasText: "Who is up for the lake" }).first();
          await expect(liked.locator(".post-actions").innerText()).resolves.toContain("2 likes");
          const unliked = cards.filter({ hasText: "community garden" }).first();
          await expect(unliked.locator(".post-actions .count").count()).resolves.toBe(0);
          await expect(unliked.locator(".post-actions").innerText()).resolves.not.toContain("0");
          // The action row stays on one line, even at 375 px.
          const tops = await liked.locator(".post-actions > *").evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
          expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(8);
        } finally {
          await context.close();
        }
      }, 180_000);

      test("navigation, compose, thread, profile and settings", async () => {
        await sample.camp.db.updateTable("members").set({ time_zone: null }).where("account_id", "=", sample.members.cleo).execute();
        const { context, page } = await member("cleo", width, js);
        try {
          await page.goto(`${origin}/`);
          await axeClean(page);
          const nav = page.getByRole("navigation", { name: "Main" });
          // Home, Camp and Notifications always in view, with the unread count (Ann's replies and likes).
          for (const name of ["Home", "Camp"]) await expect(nav.getByRole("link", { name, exact: true }).isVisible()).resolves.toBe(true);
          await expect(nav.getByRole("link", { name: /^Notifications/ }).isVisible()).resolves.toBe(true);
          const members = nav.getByRole("link", { name: "Members" });
          if (width < 600) {
            // Folded into "More", which opens without JavaScript.
            await expect(members.isVisible()).resolves.toBe(false);
            await nav.locator("details.nav-more > summary").click();
            await expect(members.isVisible()).resolves.toBe(true);
            await axeClean(page);
            await nav.locator("details.nav-more > summary").click();
          } else {
            await expect(members.isVisible()).resolves.toBe(true);
            await expect(nav.locator("details.nav-more > summary").isVisible()).resolves.toBe(false);
          }
          // Compose: text first, then the CW toggle, images, audience, and a button naming the audience.
          const order = await page.locator("form.compose").evaluate((form) =>
            ["textarea[name=source]", "details.cw-toggle", "details.images", "select[name=audience]", "button[type=submit]"]
              .map((selector) => [...form.querySelectorAll("*")].indexOf(form.querySelector(selector)!)));
          expect(order).toEqual([...order].sort((a, b) => a - b));
          await expect(page.getByLabel("Content warning (optional)").isVisible()).resolves.toBe(false);
          await page.locator("details.cw-toggle > summary").click();
          await expect(page.getByLabel("Content warning (optional)").isVisible()).resolves.toBe(true);
          await expect(page.getByRole("button", { name: "Post to the camp", exact: true }).isVisible()).resolves.toBe(true);
          const warning = page.locator(".audience-warning");
          await expect(warning.isVisible()).resolves.toBe(false);
          await page.getByLabel("Who can see this").selectOption("public");
          await expect(page.getByRole("button", { name: "Post publicly", exact: true }).isVisible()).resolves.toBe(true);
          await expect(warning.isVisible()).resolves.toBe(true);
          await expect(warning.innerText()).resolves.toContain("cannot be called back");
          await axeClean(page);
          await page.getByLabel("Who can see this").selectOption("camp");
          // The character count keeps its height whether or not it has text yet.
          const count = page.locator("#compose-source-count");
          const heightBefore = await count.evaluate((el) => el.getBoundingClientRect().height);
          await page.getByLabel("Write a post").fill("Hello there");
          if (js) await expect(count.innerText()).resolves.toBe("11 of 5000 characters");
          expect(await count.evaluate((el) => el.getBoundingClientRect().height)).toBe(heightBefore);

          // The other pages a member sees, axe-checked at each width once: on the laptop with JavaScript,
          // on the phone without (each check runs in light and dark).
          if ((width > 600) === js) {
            for (const path of [`/posts/${sample.threadId}`, "/@bob", "/settings", "/notifications", "/members"]) {
              expect((await page.goto(`${origin}${path}`))?.status(), path).toBe(200);
              await axeClean(page);
            }
          }
          // Time zone: with JavaScript on the browser's own zone was sent and is used; without, UTC until chosen.
          if (js) {
            expect(await until(() => zoneOf("cleo"), (zone) => zone !== null, 5000)).toBe("Asia/Tokyo");
            await page.goto(`${origin}/camp`);
            await expect(page.locator("article.post time").first().getAttribute("datetime")).resolves.toMatch(/\+09:00$/);
          } else {
            expect(await zoneOf("cleo")).toBeNull();
            await page.goto(`${origin}/settings`);
            await page.getByLabel("Your time zone").selectOption("Europe/Berlin");
            await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Save time zone" }).click()]);
            expect(await zoneOf("cleo")).toBe("Europe/Berlin");
            await page.goto(`${origin}/camp`);
            await expect(page.locator("article.post time").first().getAttribute("datetime")).resolves.toMatch(/\+01:00$/);
          }
        } finally {
          await context.close();
        }
      }, 240_000);

      test("a new member's empty Home says what to do next", async () => {
        const { context, page } = await member("dana", width, js);
        try {
          await page.goto(`${origin}/`);
          const welcome = page.getByRole("region", { name: "Your Home is quiet for now" });
          await expect(welcome.isVisible()).resolves.toBe(true);
          for (const name of ["Write a first post", "Follow someone", "Camp stream"]) await expect(welcome.getByRole("link", { name }).isVisible()).resolves.toBe(true);
          await expect(welcome.getByRole("link", { name: "Invite a friend" }).count()).resolves.toBe(0);
          await axeClean(page);
        } finally {
          await context.close();
        }
      }, 120_000);
    });
  }
}

describe("live updates", () => {
  test("with JavaScript: a new post arrives within 2 s, one the reader may not see never does, replies and the badge follow", async () => {
    const { ann, cleo } = sample.members;
    const { context, page } = await member("bob", 375, true);
    try {
      const loads: string[] = [];
      page.on("load", () => loads.push(page.url()));
      await page.goto(`${origin}/camp`);
      await page.waitForResponse((r) => r.url().includes("/live?stream=camp"));
      await expect(page.locator("#new-posts").innerText()).resolves.toBe("");
      const loadsBefore = loads.length;
      // Direct to Cleo only, then followers-only from someone Bob does not follow: neither may reach Bob.
      await postAs(sample.camp, ann, { source: "just for @cleo", audience: "direct" });
      await postAs(sample.camp, cleo, { source: "cleo's followers only", audience: "followers" });
      const started = Date.now();
      await postAs(sample.camp, ann, { source: "live for the camp" });
      await page.getByRole("link", { name: "1 new post" }).waitFor({ timeout: 2000 });
      expect(Date.now() - started).toBeLessThan(2000);
      await Bun.sleep(1200);
      await expect(page.locator("#new-posts").innerText()).resolves.toBe("1 new post");
      expect(loads.length).toBe(loadsBefore);
      await axeClean(page);

      // An open conversation: a reply appears without reloading, and the mention lifts the badge at once.
      await page.goto(`${origin}/posts/${sample.threadId}`);
      await page.waitForResponse((r) => r.url().includes("/live?stream=thread"));
      const badgeBefore = await page.locator("#unread-count").innerText();
      await postAs(sample.camp, cleo, { source: "Bringing cake too, @bob", inReplyToId: sample.threadId });
      await page.locator("#live-replies article.post").filter({ hasText: "Bringing cake too" }).waitFor({ timeout: 2000 });
      expect(await until(() => page.locator("#unread-count").innerText(), (badge) => badge !== badgeBefore, 2000)).not.toBe(badgeBefore);
      await axeClean(page);
    } finally {
      await context.close();
    }
  }, 120_000);

  test("without JavaScript nothing connects and pages stay as they were", async () => {
    const { context, page } = await member("bob", 1280, false);
    try {
      const live: string[] = [];
      page.on("request", (r) => { if (r.url().includes("/live")) live.push(r.url()); });
      await page.goto(`${origin}/camp`);
      await postAs(sample.camp, sample.members.ann, { source: "nobody is told live" });
      await Bun.sleep(800);
      expect(live).toEqual([]);
      await expect(page.locator("#new-posts").innerText()).resolves.toBe("");
    } finally {
      await context.close();
    }
  }, 30_000);
});
