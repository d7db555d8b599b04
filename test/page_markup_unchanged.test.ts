/**
 * Making pages cheaper must not change what the viewer gets: Home, Camp, a thread and a profile,
 * rendered from the benchmark's seeded data set (a small copy), are compared byte for byte with the
 * markup recorded in test/fixtures/page_markup/ before the speed work, modulo the times (the data set
 * is dated back from the moment it is built). A change meant to alter the markup re-records them:
 * KITH_RECORD_MARKUP=1 bun test test/page_markup_unchanged.test.ts, and the diff shows what changed.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type App } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { openStore, type Store } from "../src/db/open.ts";
import { createLogger } from "../src/log.ts";
import { generateDataset, type DatasetMeta } from "../bench/dataset/generate.ts";
import { shapeAt } from "../bench/dataset/shape.ts";
import { memberCookie, pageTargets } from "../bench/targets.ts";

const FIXTURES = join(import.meta.dir, "fixtures", "page_markup");
const RECORD = process.env.KITH_RECORD_MARKUP === "1";

let dir: string;
let store: Store;
let app: App;
let meta: DatasetMeta;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kith-markup-"));
  // 1,000 posts: every kind of card (replies, boosts, content warnings, images, audiences) on these pages.
  meta = await generateDataset(dir, { ...shapeAt(0.002), signingActors: 0 });
  const config = loadConfig({ data: dir, domain: "camp.test" }, {});
  store = await openStore(config.dbFile);
  app = createApp({ db: store.db, config, log: createLogger("error", () => {}) });
}, 60_000);

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Every date and time in the markup as one placeholder: a post's `<time>` whole (its relative text,
 * "5 min" or "yesterday", and its exact title depend on when the data set was built), then ISO dates in
 * attributes and "YYYY-MM-DD HH:MM UTC" in text.
 */
const withoutTimes = (html: string) => html
  .replace(/<time datetime="[^"]*" title="[^"]*">[^<]*<\/time>/g, "<time>TIME</time>")
  .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?Z)?( UTC)?/g, "TIME");

// The four pages issue 15 made cheaper; the search page's cursor carries a time, so it is not a fixture.
const pages = () => pageTargets(meta, "camp.test").filter((page) => page.headers.accept === "text/html" && !page.name.startsWith("search"));

test("Home, Camp, a thread and a profile render the same markup as before", async () => {
  const recorded: string[] = [];
  for (const page of pages()) {
    const response = await app.request(page.path, { headers: { cookie: memberCookie(meta.viewer.sessionToken), accept: "text/html" } });
    expect(response.status).toBe(200);
    const html = withoutTimes(await response.text());
    expect(html).toContain(page.mustContain);
    const file = join(FIXTURES, `${page.name.split(" ")[0]!.toLowerCase()}.html`);
    if (RECORD || !existsSync(file)) {
      mkdirSync(FIXTURES, { recursive: true });
      writeFileSync(file, html);
      recorded.push(file);
      continue;
    }
    expect(html).toBe(readFileSync(file, "utf8"));
  }
  // Recording is a deliberate step: a run that only recorded has compared nothing, and says so.
  if (!RECORD) expect(recorded).toEqual([]);
}, 60_000);
