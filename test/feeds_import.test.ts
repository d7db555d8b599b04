/**
 * Feeds in, against real feed servers on loopback: a member adds a site (its feed found through
 * <link rel="alternate">), an RSS, an Atom and a JSON feed; entries become her posts with their
 * origin, hostile HTML cleaned; known entries are not imported twice, an edited one updates its
 * post; conditional GET, Retry-After and backoff; the first-import and flood caps; bad feeds give a
 * clear error on the settings page and a log line, never a post.
 */
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { schedulePoll } from "../src/domain/feeds/sources.ts";
import { addSource } from "../src/domain/feeds/sources.ts";
import { guardedFetcher } from "../src/federation/guardedFetcher.ts";
import { DAY } from "../src/domain/clock.ts";
import { MAX_ENTRIES_READ } from "../src/domain/feeds/parse.ts";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import { testCamp, type TestClient } from "./support/camp.ts";
import { atom, jsonFeed, rss, startFeedSite, xml, type FeedSite, type TestEntry } from "./support/feedServer.ts";
import { textOf } from "./support/pages.ts";
import { solidPng } from "./support/png.ts";

setDefaultTimeout(30_000);

let camp: FederatedCamp;
let site: FeedSite;
let alice: TestClient;
let aliceId: number;

const postsOf = (authorId: number) => camp.db.selectFrom("posts").select(["id", "html", "audience", "edited_at"]).where("author_id", "=", authorId).where("deleted_at", "is", null).orderBy("id").execute();
const sourceByUrl = (url: string) => camp.db.selectFrom("feed_sources").selectAll().where("url", "=", url).executeTakeFirstOrThrow();

/** Runs the source's check now instead of in 15 minutes, and waits for it. */
async function checkNow(sourceId: number): Promise<void> {
  await schedulePoll(camp.db, sourceId, Date.now());
  camp.worker.nudge();
  await camp.settle();
}

async function addFeed(url: string, fields: Record<string, string> = {}): Promise<Response> {
  const response = await alice.post("/settings/feeds", { url, label: "", audience: "camp", ...fields });
  await camp.settle();
  return response;
}

beforeAll(async () => {
  site = await startFeedSite();
  camp = await federatedCamp();
  aliceId = await camp.addMember("alice");
  alice = await camp.loggedIn("alice");
});
afterAll(async () => {
  await camp.close();
  await site.close();
});

describe("importing", () => {
  const blog: TestEntry[] = [
    { id: "post-1", title: "First post", link: "https://blog.example/1", html: "<p>Hello <b>world</b></p>", date: "2025-01-01T10:00:00Z" },
    { id: "post-2", title: "Sneaky", link: "https://blog.example/2", html: `<p onclick="x()">Click <a href="javascript:alert(1)">me</a></p><script>alert(2)</script>`, date: "2025-01-02T10:00:00Z" },
    { title: "No id or date", link: "https://blog.example/3", html: "<p>plain</p>" },
  ];

  test("a site page leads to its feed; entries become the member's camp-only posts, marked with their origin, cleaned", async () => {
    site.routes.set("/blog", () => new Response(`<!doctype html><html><head><title>Blog</title><link rel="alternate" type="application/rss+xml" href="/blog/rss.xml"></head><body>hi</body></html>`, { headers: { "content-type": "text/html" } }));
    site.routes.set("/blog/rss.xml", () => xml(rss(blog)));
    const added = await addFeed(`${site.origin}/blog`);
    expect(added.status).toBe(303);
    const source = await sourceByUrl(`${site.origin}/blog/rss.xml`);
    expect(source.label).toBe("Test blog");
    const posts = await postsOf(aliceId);
    expect(posts.length).toBe(3);
    expect(posts.every((p) => p.audience === "camp")).toBe(true);
    const all = posts.map((p) => p.html).join("\n");
    expect(all).toContain(`<a href="https://blog.example/1"`);
    expect(all).toContain("<b>world</b>");
    expect(all).not.toContain("javascript:");
    expect(all).not.toContain("<script");
    expect(all).not.toContain("onclick");
    const stream = await (await alice.get("/camp")).text();
    expect(textOf(stream)).toContain("from blog.example");
    expect(stream).toContain(`<p class="feed-origin">from <a href="https://blog.example/1"`);
    const settings = textOf(await (await alice.get("/settings/feeds")).text());
    expect(settings).toContain("3 new, 0 updated");
  });

  test("a second check imports nothing twice, even the entry without id (known by link and title)", async () => {
    const source = await sourceByUrl(`${site.origin}/blog/rss.xml`);
    await checkNow(source.id);
    expect((await postsOf(aliceId)).length).toBe(3);
    expect((await sourceByUrl(source.url)).last_result).toBe("0 new, 0 updated");
  });

  test("an edited entry updates its post through the edit path, not a second post", async () => {
    const source = await sourceByUrl(`${site.origin}/blog/rss.xml`);
    site.routes.set("/blog/rss.xml", () => xml(rss([{ ...blog[0]!, html: "<p>Hello <b>edited</b> world</p>" }, blog[1]!, blog[2]!])));
    await checkNow(source.id);
    const posts = await postsOf(aliceId);
    expect(posts.length).toBe(3);
    const edited = posts.find((p) => p.html.includes("edited"))!;
    expect(edited.edited_at).not.toBeNull();
    const history = await camp.db.selectFrom("post_edits").select("html").where("post_id", "=", edited.id).execute();
    expect(history.map((h) => h.html).join()).toContain("<b>world</b>");
  });

  test("Atom and JSON Feed sources import too, with the audience the member chose, and the first image as an attachment", async () => {
    site.routes.set("/photos.atom", () => new Response(atom([{ id: "urn:p1", title: "Sunset", link: "https://photos.example/p1", html: `<p>Look</p><img src="${site.origin}/p1.png">` }]), { headers: { "content-type": "application/atom+xml" } }));
    site.routes.set("/p1.png", () => new Response(solidPng(), { headers: { "content-type": "image/png" } }));
    site.routes.set("/code.json", () => new Response(jsonFeed([{ id: "c1", title: "Released 1.0", link: "https://code.example/r/1", html: "<p>notes</p>" }]), { headers: { "content-type": "application/feed+json" } }));
    expect((await addFeed(`${site.origin}/photos.atom`, { audience: "public" })).status).toBe(303);
    expect((await addFeed(`${site.origin}/code.json`, { label: "My code" })).status).toBe(303);
    const rows = await camp.db.selectFrom("posts").innerJoin("feed_entries", "feed_entries.post_id", "posts.id")
      .select(["posts.id", "posts.audience", "feed_entries.origin_host"]).where("feed_entries.origin_host", "in", ["photos.example", "code.example"]).orderBy("posts.id").execute();
    expect(rows.map((r) => [r.origin_host, r.audience])).toEqual([["photos.example", "public"], ["code.example", "camp"]]);
    const media = await camp.db.selectFrom("media").select(["mime", "alt"]).where("post_id", "=", rows[0]!.id).execute();
    expect(media).toEqual([{ mime: "image/png", alt: "Sunset" }]);
    expect((await sourceByUrl(`${site.origin}/code.json`)).label).toBe("My code");
  });

  test("changing a source's audience applies to the posts it brings in from then on", async () => {
    const source = await sourceByUrl(`${site.origin}/code.json`);
    expect((await alice.post(`/settings/feeds/${source.id}`, { label: "My code host", audience: "public" })).status).toBe(303);
    site.routes.set("/code.json", () => new Response(jsonFeed([
      { id: "c1", title: "Released 1.0", link: "https://code.example/r/1", html: "<p>notes</p>" },
      { id: "c2", title: "Released 1.1", link: "https://code.example/r/2", html: "<p>more notes</p>" },
    ]), { headers: { "content-type": "application/feed+json" } }));
    await checkNow(source.id);
    const rows = await camp.db.selectFrom("posts").innerJoin("feed_entries", "feed_entries.post_id", "posts.id")
      .select(["posts.audience", "feed_entries.entry_key"]).where("feed_entries.source_id", "=", source.id).orderBy("posts.id").execute();
    expect(rows.map((r) => [r.entry_key, r.audience])).toEqual([["id:c1", "camp"], ["id:c2", "public"]]);
    expect((await sourceByUrl(source.url)).label).toBe("My code host");
    const direct = await alice.post(`/settings/feeds/${source.id}`, { label: "x", audience: "direct" });
    expect(direct.status).toBe(422);
  });

  test("an imported post is a thread like any other: a friend replies and likes it, the member is told", async () => {
    const [post] = await postsOf(aliceId);
    await camp.addMember("erin");
    const erin = await camp.loggedIn("erin");
    expect((await erin.post("/posts", { source: "Nice post!", contentWarning: "", audience: "camp", in_reply_to: String(post!.id) })).status).toBe(303);
    expect((await erin.post(`/posts/${post!.id}/like`)).status).toBe(303);
    const told = await camp.db.selectFrom("notifications").select("kind").where("recipient_id", "=", aliceId).where("post_id", "is not", null).orderBy("id").execute();
    expect(told.map((n) => n.kind)).toEqual(["reply", "like"]);
    expect(textOf(await (await alice.get(`/posts/${post!.id}`)).text())).toContain("Nice post!");
  });
});

describe("polling politely", () => {
  test("an ETag-aware feed is asked conditionally and answers 304: nothing changes", async () => {
    site.routes.set("/etag.xml", (req) => req.headers.get("if-none-match") === `"v1"` ? new Response(null, { status: 304 }) : xml(rss([{ id: "e1", title: "Tagged", link: "https://etag.example/1" }]), { etag: `"v1"` }));
    await addFeed(`${site.origin}/etag.xml`);
    const source = await sourceByUrl(`${site.origin}/etag.xml`);
    expect(source.etag).toBe(`"v1"`);
    await checkNow(source.id);
    const conditional = site.requests.filter((r) => r.path === "/etag.xml").at(-1)!;
    expect(conditional.headers.get("if-none-match")).toBe(`"v1"`);
    const after = await sourceByUrl(source.url);
    expect(after.last_result).toBe("Not changed since the last check");
    expect(after.next_poll_at! - after.last_checked_at!).toBe(15 * 60 * 1000);
  });

  test("a broken feed backs off, doubling up to a day, and its error shows on the settings page", async () => {
    site.routes.set("/flaky.xml", () => xml(rss([{ id: "f1", title: "Fine once", link: "https://flaky.example/1" }])));
    await addFeed(`${site.origin}/flaky.xml`);
    site.routes.set("/flaky.xml", () => new Response("oops", { status: 500 }));
    const source = await sourceByUrl(`${site.origin}/flaky.xml`);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      await checkNow(source.id);
      const s = await sourceByUrl(source.url);
      waits.push((s.next_poll_at! - s.last_checked_at!) / 60000);
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 960, 1440, 1440]);
    const page = textOf(await (await alice.get("/settings/feeds")).text());
    expect(page).toContain("Last error: The feed answered with status 500");
    expect(camp.logs.some((l) => l.includes("feeds: check failed") && l.includes("status 500"))).toBe(true);
    site.routes.set("/flaky.xml", () => new Response("busy", { status: 503, headers: { "retry-after": "7200" } }));
    await camp.db.updateTable("feed_sources").set({ failures: 0 }).where("id", "=", source.id).execute();
    await checkNow(source.id);
    const busy = await sourceByUrl(source.url);
    expect(busy.next_poll_at! - busy.last_checked_at!).toBe(2 * 3600 * 1000);
    expect(busy.next_poll_at! - busy.last_checked_at!).toBeLessThanOrEqual(DAY);
  });

  test("ttl and skipHours from the feed push the next check later", async () => {
    const hours = Array.from({ length: 24 }, (_, h) => h).filter((h) => h !== 5);
    site.routes.set("/ttl.xml", () => xml(rss([{ id: "t1", title: "Slow", link: "https://ttl.example/1" }], `<ttl>60</ttl><skipHours>${hours.map((h) => `<hour>${h}</hour>`).join("")}</skipHours>`)));
    await addFeed(`${site.origin}/ttl.xml`);
    const s = await sourceByUrl(`${site.origin}/ttl.xml`);
    expect(new Date(s.next_poll_at!).getUTCHours()).toBe(5);
    expect(s.next_poll_at! - s.last_checked_at!).toBeGreaterThanOrEqual(60 * 60 * 1000);
  });
});

describe("caps", () => {
  test("the first import of 500 entries brings the newest 20; the rest come when the member asks", async () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ id: `old-${i}`, title: `Entry ${i}`, link: `https://long.example/${i}`, date: new Date(Date.UTC(2020, 0, 1) + i * 3600e3).toISOString() }));
    site.routes.set("/long.xml", () => xml(rss(many)));
    const bobId = await camp.addMember("bob");
    const bob = await camp.loggedIn("bob");
    await bob.post("/settings/feeds", { url: `${site.origin}/long.xml`, label: "", audience: "camp" });
    await camp.settle();
    const first = await postsOf(bobId);
    expect(first.length).toBe(20);
    expect(first.at(-1)!.html).toContain("Entry 499");
    expect(first[0]!.html).toContain("Entry 480");
    const page = textOf(await (await bob.get("/settings/feeds")).text());
    expect(page).toContain("480 older entries held back (at most 20 new posts per check)");
    expect(page).toContain("Import the 480 older entries too");
    const source = await sourceByUrl(`${site.origin}/long.xml`);
    expect((await bob.post(`/settings/feeds/${source.id}/import-held`)).status).toBe(303);
    await camp.settle();
    expect((await postsOf(bobId)).length).toBe(500);
    expect((await sourceByUrl(source.url)).held_back).toBe(0);
  });

  test("a feed of 10,000 entries is read for its newest 1,000: 20 become posts, the rest are held back", async () => {
    const huge = rss(Array.from({ length: 10_000 }, (_, i) => ({ id: `h${i}`, title: `Huge ${i}`, link: `https://huge.example/${i}` })));
    site.routes.set("/huge-list.xml", () => xml(huge));
    const fayId = await camp.addMember("fay");
    const fay = await camp.loggedIn("fay");
    expect((await fay.post("/settings/feeds", { url: `${site.origin}/huge-list.xml`, label: "", audience: "camp" })).status).toBe(303);
    await camp.settle();
    const posts = await postsOf(fayId);
    expect(posts.length).toBe(20);
    expect(posts.at(-1)!.html).toContain("Huge 0<");
    expect((await sourceByUrl(`${site.origin}/huge-list.xml`)).held_back).toBe(MAX_ENTRIES_READ - 20);
  });

  test("a feed that changes every id on every fetch adds at most 20 posts a check", async () => {
    let round = 0;
    site.routes.set("/churn.xml", () => {
      round++;
      return xml(rss(Array.from({ length: 30 }, (_, i) => ({ id: `r${round}-${i}`, title: `Churn ${round}.${i}`, link: `https://churn.example/${round}/${i}` }))));
    });
    const carolId = await camp.addMember("carol");
    const carol = await camp.loggedIn("carol");
    await carol.post("/settings/feeds", { url: `${site.origin}/churn.xml`, label: "", audience: "camp" });
    await camp.settle();
    const source = await sourceByUrl(`${site.origin}/churn.xml`);
    await checkNow(source.id);
    expect((await postsOf(carolId)).length).toBe(40);
  });
});

describe("bad input: a clear message, a log line, no post", () => {
  const before = () => camp.db.selectFrom("posts").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow().then((r) => Number(r.n));

  test.each([
    ["not http(s)", "ftp://files.example/feed.xml", "Feed addresses start with http:// or https://."],
    ["malformed XML", "/malformed.xml", "not well-formed"],
    ["billion laughs", "/laughs.xml", "declares its own XML entities"],
    ["external entity", "/xxe.xml", "declares its own XML entities"],
    ["HTML without a feed link", "/page.html", "This page does not name a feed"],
    ["a 50 MB answer", "/huge.xml", "larger than"],
    ["a 404", "/missing.xml", "status 404"],
  ])("%s is refused when added", async (_name, path, message) => {
    site.routes.set("/malformed.xml", () => xml(`<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</item></channel>`));
    site.routes.set("/xxe.xml", () => xml(`<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&xxe;</title></channel></rss>`));
    site.routes.set("/laughs.xml", () => xml(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><rss version="2.0"><channel><title>&lol2;</title><item><title>&lol2;</title></item></channel></rss>`));
    site.routes.set("/page.html", () => new Response("<!doctype html><html><head><title>No feed</title></head><body>hi</body></html>", { headers: { "content-type": "text/html" } }));
    site.routes.set("/huge.xml", () => xml("<rss>" + "x".repeat(50 * 1024 * 1024)));
    const count = await before();
    const url = path.startsWith("/") ? `${site.origin}${path}` : path;
    const response = await addFeed(url);
    const page = await response.text();
    expect(response.status).toBe(422);
    expect(textOf(page)).toContain(message);
    expect(await before()).toBe(count);
    expect(await camp.db.selectFrom("feed_sources").select("id").where("url", "=", url).executeTakeFirst()).toBeUndefined();
  });

  test("a feed that turns into a web page later shows the error and makes no post", async () => {
    site.routes.set("/turns.xml", () => xml(rss([{ id: "t1", title: "One", link: "https://turns.example/1" }])));
    await addFeed(`${site.origin}/turns.xml`);
    site.routes.set("/turns.xml", () => new Response("<!doctype html><html><body>Parked domain</body></html>", { headers: { "content-type": "text/html" } }));
    const count = await before();
    const source = await sourceByUrl(`${site.origin}/turns.xml`);
    await checkNow(source.id);
    expect(await before()).toBe(count);
    expect((await sourceByUrl(source.url)).last_error).toBe("The address now serves a web page, not a feed");
  });

  test("without the test-only switch, a feed on a loopback address is refused", async () => {
    const guarded = await testCamp();
    try {
      const id = await guarded.addMember("dora");
      const refused = addSource(guarded.db, guardedFetcher(guarded.config), id, { url: `${site.origin}/blog/rss.xml`, label: "", audience: "camp" });
      await expect(refused).rejects.toThrow("only https URLs are fetched");
      const https = addSource(guarded.db, guardedFetcher(guarded.config), id, { url: `https://127.0.0.1:${new URL(site.origin).port}/blog/rss.xml`, label: "", audience: "camp" });
      await expect(https).rejects.toThrow("private or reserved address");
    } finally {
      await guarded.close();
    }
  });
});
