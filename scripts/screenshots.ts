/**
 * Screenshots of the pages a member sees first (Home, Camp, a thread, a profile and compose) at
 * 1280 and 375 pixels wide, light and dark, written to docs/screenshots/ for the README. The camp is
 * a real one on a temporary SQLite file, filled with a small conversation; the browser is the tests'
 * headless chromium. test/screenshots.test.ts runs this too, so the script cannot rot.
 *
 *   npx bun scripts/screenshots.ts [OUT_DIR]   (default docs/screenshots)
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../test/support/browser.ts";
import { PASSWORD, testCamp, type TestCamp } from "../test/support/camp.ts";
import { follows, postAs } from "../test/support/posts.ts";
import { likePost } from "../src/domain/posts/likes.ts";

export const WIDTHS = [1280, 375] as const;
export const SCHEMES = ["light", "dark"] as const;

export interface SampleCamp {
  camp: TestCamp;
  threadId: number;
  members: { ann: number; bob: number; cleo: number; dana: number };
}

/**
 * A camp with a few members, posts of several audiences, a reply thread and some likes. Ann is the
 * operator; Dana has just joined (follows nobody, has written nothing).
 */
export async function sampleCamp(): Promise<SampleCamp> {
  const camp = await testCamp();
  await camp.serve();
  const ann = await camp.addMember("ann", "operator");
  const bob = await camp.addMember("bob");
  const cleo = await camp.addMember("cleo");
  const dana = await camp.addMember("dana");
  for (const [a, b] of [[ann, bob], [ann, cleo], [bob, ann], [cleo, ann]] as const) await follows(camp, a, b);
  const threadId = await postAs(camp, bob, { source: "Who is up for the lake on Saturday? I can bring the big thermos. #weekend" });
  await postAs(camp, ann, { source: "Count me in, I'll bake something.", inReplyToId: threadId });
  await postAs(camp, cleo, { source: "Same! Leaving around 10?", inReplyToId: threadId });
  await postAs(camp, cleo, { source: "Wrote up how we fixed the **community garden** irrigation.", audience: "public" });
  await postAs(camp, bob, { source: "Only for the people who follow me: new job news soon.", audience: "followers" });
  const spoiler = await postAs(camp, ann, { source: "The ending of the book club pick was a surprise.", contentWarning: "book spoilers" });
  for (const who of [bob, cleo]) await likePost(camp.db, who, threadId);
  await likePost(camp.db, bob, spoiler);
  return { camp, threadId, members: { ann, bob, cleo, dana } };
}

/** Logs a browser page in as a member of the sample camp. */
export async function logInAs(page: Page, origin: string, handle: string): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.getByLabel("Handle", { exact: true }).fill(handle);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Log in" }).click()]);
}

/** Writes every screenshot to `outDir` and returns the files written. */
export async function writeScreenshots(outDir: string, browser?: Browser): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const ownBrowser = browser ?? (await launchBrowser());
  const { camp, threadId } = await sampleCamp();
  const origin = camp.config.origin;
  const pages = { home: "/", camp: "/camp", thread: `/posts/${threadId}`, profile: "/@bob" };
  const written: string[] = [];
  try {
    for (const width of WIDTHS) {
      for (const colorScheme of SCHEMES) {
        const context = await ownBrowser.newContext({ viewport: { width, height: width > 600 ? 900 : 800 }, colorScheme, timezoneId: "Europe/Berlin" });
        const page = await context.newPage();
        await logInAs(page, origin, "ann");
        for (const [name, path] of Object.entries(pages)) {
          await page.goto(`${origin}${path}`);
          const file = join(outDir, `${name}-${width}-${colorScheme}.png`);
          await page.screenshot({ path: file, fullPage: name !== "home" || width > 600 });
          written.push(file);
        }
        // Compose, half filled in, with "public" chosen: the button and the one-line warning follow.
        await page.goto(`${origin}/`);
        await page.getByLabel("Write a post").fill("Photos from the lake are up, ask me for the link!");
        await page.locator("details.cw-toggle summary").click();
        await page.getByLabel("Content warning (optional)").fill("lots of photos");
        await page.getByLabel("Who can see this").selectOption("public");
        const file = join(outDir, `compose-${width}-${colorScheme}.png`);
        await page.locator("form.compose").screenshot({ path: file });
        written.push(file);
        await context.close();
      }
    }
  } finally {
    await camp.close();
    if (!browser) await ownBrowser.close();
  }
  return written;
}

if (import.meta.main) {
  const files = await writeScreenshots(process.argv[2] ?? join(import.meta.dir, "..", "docs", "screenshots"));
  console.log(files.join("\n"));
}
