/**
 * Streams page by a keyset cursor: walking every page while new posts keep arriving yields each
 * older post exactly once (no duplicates, no gaps), through the domain and through the served
 * pages' "Older posts" links, with and without htmx.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { articleKeysIn, follows, idsOf, postAs } from "./support/posts.ts";
import { campStream, homeStream, PAGE_SIZE, tagStream, profileStream } from "../src/domain/timelines/streams.ts";
import type { Viewer } from "../src/domain/audience.ts";

let camp: TestCamp;
let ann = 0;
let bob = 0;
let cat = 0;
const before: number[] = [];

beforeAll(async () => {
  camp = await testCamp();
  ann = await camp.addMember("ann");
  bob = await camp.addMember("bob");
  cat = await camp.addMember("cat");
  await follows(camp, ann, bob);
  // Interleaved authors, so Home's per-author merge is really exercised. Cat is not followed.
  for (let i = 0; i < 3 * PAGE_SIZE + 7; i++) {
    const author = [ann, bob, cat][i % 3]!;
    before.push(await postAs(camp, author, { source: `post ${i} #paging` }));
  }
});

afterAll(() => camp.close());

type Stream = (cursor: number | null) => Promise<{ items: { post: { id: number } }[]; next: number | null }>;

/** Walks every page, writing `extra` new posts between pages, and returns the ids seen in order. */
async function walk(stream: Stream, extra: () => Promise<void>): Promise<number[]> {
  const seen: number[] = [];
  let cursor: number | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await stream(cursor);
    seen.push(...idsOf(page));
    if (page.next === null) return seen;
    cursor = page.next;
    await extra();
  }
  throw new Error("the stream never ended");
}

const member = (id: number): Viewer => ({ kind: "member", accountId: id });

describe("walking a stream while posts are added", () => {
  const cases: [string, () => Stream, (id: number) => boolean][] = [
    ["Home", () => (cursor) => homeStream(camp.db, ann, cursor), () => true],
    ["Camp", () => (cursor) => campStream(camp.db, member(ann), cursor), () => true],
    ["a tag", () => (cursor) => tagStream(camp.db, member(ann), "paging", cursor), () => true],
    ["a profile", () => (cursor) => profileStream(camp.db, member(ann), bob, cursor), () => true],
  ];
  for (const [name, stream] of cases) {
    test(`${name}: every post that existed at the start appears exactly once, newest first`, async () => {
      const snapshotTop = idsOf(await stream()(null))[0]!;
      let n = 0;
      const seen = await walk(stream(), async () => {
        for (const author of [ann, bob, cat]) await postAs(camp, author, { source: `new ${n++} #paging` });
      });
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual([...seen].sort((a, b) => b - a));
      const expected = await expectedIds(name, snapshotTop);
      expect(seen).toEqual(expected);
    });
  }
});

/** What each stream should hold, computed plainly from the table, for posts up to `top`. */
async function expectedIds(name: string, top: number): Promise<number[]> {
  let query = camp.db.selectFrom("posts").select(["id", "author_id"]).where("id", "<=", top).orderBy("id", "desc");
  if (name === "Home") query = query.where("author_id", "in", [ann, bob]);
  if (name === "a profile") query = query.where("author_id", "=", bob);
  return (await query.execute()).map((r) => r.id);
}

describe("the served pages", () => {
  test("following the plain 'Older posts' links walks Camp with no duplicates and no gaps", async () => {
    const client = await camp.loggedIn("ann");
    let path: string | null = "/camp";
    const seen: number[] = [];
    let top = 0;
    while (path) {
      const html = await (await client.get(path)).text();
      const keys = articleKeysIn(html);
      if (top === 0) top = keys[0]!;
      seen.push(...keys);
      await postAs(camp, cat, { source: "arrives while paging" });
      const more = html.match(/<p class="more"><a href="([^"]+)"/);
      path = more ? more[1]!.replace(/&amp;/g, "&") : null;
    }
    const expected = (await camp.db.selectFrom("posts").select("id").where("id", "<=", top).where("boost_of_id", "is", null).orderBy("id", "desc").execute()).map((r) => r.id);
    expect(seen).toEqual(expected);
  });

  test("with htmx, 'Older posts' returns only the next posts and the next link, not a whole page", async () => {
    const client = await camp.loggedIn("ann");
    const first = await (await client.get("/camp")).text();
    const href = first.match(/<p class="more"><a href="([^"]+)" hx-get="([^"]+)"/)!;
    expect(href[1]).toBe(href[2]!);
    const fragment = await (await client.get(href[2]!.replace(/&amp;/g, "&"), { "HX-Request": "true" })).text();
    expect(fragment).not.toContain("<html");
    expect(fragment).not.toContain("<nav");
    const firstKeys = articleKeysIn(first);
    const nextKeys = articleKeysIn(fragment);
    expect(nextKeys.length).toBe(PAGE_SIZE);
    expect(Math.max(...nextKeys)).toBeLessThan(Math.min(...firstKeys));
  });

  test("a cursor that is not a number is ignored (first page), never an error", async () => {
    const client = await camp.loggedIn("ann");
    const response = await client.get("/camp?before=1%20OR%201=1");
    expect(response.status).toBe(200);
    expect(articleKeysIn(await response.text()).length).toBe(PAGE_SIZE);
  });
});
