/**
 * Feeds out: RSS, Atom and JSON Feed of a member, a tag and the camp, read back with the same parser
 * (feedsmith) we import with. Only posts anyone may see and list publicly get in: public and unlisted
 * (the gate's mayListPublicly, as in the outbox), never camp-only, followers-only or direct. ETag and
 * 304; a member's feed turned off answers 404 and is no longer announced on their page.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { parseFeed } from "feedsmith";
import type { Audience } from "../src/db/schema.ts";
import { AUDIENCES, mayListPublicly } from "../src/domain/audience.ts";
import { deletePost } from "../src/domain/posts/delete.ts";
import { boostPost } from "../src/domain/posts/boost.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { postAs } from "./support/posts.ts";

let camp: TestCamp;
let aliceId: number;
const byAudience = new Map<Audience, number>();
let replyId: number;
let deletedId: number;

const FEEDS = ["/@alice/feed", "/tags/garden/feed", "/feed"];
const FORMATS = ["rss", "atom", "json"] as const;

/** The post URLs a feed lists, read with feedsmith. */
async function postUrlsIn(path: string): Promise<string[]> {
  const response = await camp.client().get(path);
  expect(response.status).toBe(200);
  const parsed = parseFeed(await response.text()) as { format: string; feed: any };
  if (parsed.format === "atom") return parsed.feed.entries.map((e: any) => e.id);
  // feedsmith reads an empty list of items as none at all.
  if (parsed.format === "json") return (parsed.feed.items ?? []).map((i: any) => i.id);
  return (parsed.feed.items ?? []).map((i: any) => i.guid.value);
}
const urlOf = (id: number) => `${camp.config.origin}/posts/${id}`;

beforeAll(async () => {
  camp = await testCamp();
  aliceId = await camp.addMember("alice");
  const bobId = await camp.addMember("bob");
  for (const audience of AUDIENCES) {
    byAudience.set(audience, await postAs(camp, aliceId, { source: `A ${audience} post about #garden${audience === "direct" ? " for @bob" : ""}`, audience }));
  }
  replyId = await postAs(camp, bobId, { source: "A public reply #garden", audience: "public", inReplyToId: byAudience.get("public")! });
  await boostPost(camp.db, bobId, byAudience.get("public")!);
  deletedId = await postAs(camp, aliceId, { source: "Deleted #garden", audience: "public" });
  await deletePost(camp.db, aliceId, deletedId);
});
afterAll(() => camp.close());

describe("each feed in each format, read back with feedsmith", () => {
  for (const feed of FEEDS) {
    for (const format of FORMATS) {
      test(`${feed}.${format} lists exactly the publicly listable posts`, async () => {
        const urls = await postUrlsIn(`${feed}.${format}`);
        for (const audience of AUDIENCES) {
          expect({ audience, listed: urls.includes(urlOf(byAudience.get(audience)!)) }).toEqual({ audience, listed: mayListPublicly(audience) });
        }
        expect(urls).not.toContain(urlOf(replyId));
        expect(urls).not.toContain(urlOf(deletedId));
        expect(urls.length).toBe(2);
      });
    }
  }

  test.each(["camp", "followers", "direct"] as Audience[])("the text of a %s post appears in no feed", async (audience) => {
    for (const feed of FEEDS) {
      for (const format of FORMATS) {
        expect(await (await camp.client().get(`${feed}.${format}`)).text()).not.toContain(`A ${audience} post`);
      }
    }
  });

  test("entries carry the post's text, absolute links and the feed's own address", async () => {
    const response = await camp.client().get("/@alice/feed.atom");
    expect(response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const { feed } = parseFeed(await response.text()) as { feed: any };
    expect(feed.links.find((l: any) => l.rel === "self").href).toBe(`${camp.config.origin}/@alice/feed.atom`);
    const entry = feed.entries.find((e: any) => e.id === urlOf(byAudience.get("public")!));
    expect(entry.content.value).toContain(`href="${camp.config.origin}/tags/garden"`);
    expect(entry.title.value).toBe("A public post about #garden");
  });
});

describe("conditional GET and the member's switch", () => {
  test("an unchanged feed answers 304 to its ETag, and 200 once a post is added", async () => {
    const first = await camp.client().get("/@alice/feed.rss");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    expect((await camp.client().get("/@alice/feed.rss", { "if-none-match": etag })).status).toBe(304);
    const newId = await postAs(camp, aliceId, { source: "Fresh", audience: "public" });
    const changed = await camp.client().get("/@alice/feed.rss", { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain(urlOf(newId));
  });

  test("pages announce their feeds with <link rel=alternate>", async () => {
    const front = await (await camp.client().get("/")).text();
    expect(front).toContain(`<link rel="alternate" type="application/rss+xml" title="The camp&#39;s public posts (RSS)" href="/feed.rss"/>`);
    const bob = await camp.loggedIn("bob");
    expect(await (await bob.get("/@alice")).text()).toContain(`href="/@alice/feed.atom"`);
    expect(await (await bob.get("/tags/garden")).text()).toContain(`href="/tags/garden/feed.json"`);
  });

  test("a member who turns their feed off gets 404 on every format, leaves the camp and tag feeds, and is not announced", async () => {
    const alice = await camp.loggedIn("alice");
    expect((await alice.post("/settings/feeds/publish", { enabled: "0" })).status).toBe(303);
    for (const format of FORMATS) expect((await camp.client().get(`/@alice/feed.${format}`)).status).toBe(404);
    expect(await postUrlsIn("/feed.json")).toEqual([]);
    // JSON Feed requires the items list, even when it is empty.
    expect(JSON.parse(await (await camp.client().get("/feed.json")).text()).items).toEqual([]);
    expect(await postUrlsIn("/tags/garden/feed.rss")).toEqual([]);
    expect(await (await alice.get("/@alice")).text()).not.toContain("/@alice/feed.");
    expect(await (await alice.get("/settings/feeds")).text()).toContain("Your feed is off");
    await alice.post("/settings/feeds/publish", { enabled: "1" });
    expect((await camp.client().get("/@alice/feed.json")).status).toBe(200);
    expect((await camp.client().get("/@nobody/feed.json")).status).toBe(404);
  });
});
