/**
 * Full-text search: the index follows every write (create, edit, delete, remote posts), ranking
 * and paging, escaped highlighted snippets, filters, people and tags, hostile queries, the live
 * (htmx) fragment, handles and addresses, and the rate limit. Who may find what is proven in
 * post_visibility_table.test.ts, next to the rule itself.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { postAs } from "./support/posts.ts";
import { searchPosts, snippetParts } from "../src/domain/search/posts.ts";
import { searchPeople, searchTags } from "../src/domain/search/people.ts";
import { searchTerms } from "../src/domain/search/terms.ts";
import { editPost } from "../src/domain/posts/edit.ts";
import { deletePost } from "../src/domain/posts/delete.ts";
import { boostPost } from "../src/domain/posts/boost.ts";
import { upsertRemoteActor } from "../src/domain/remote/actors.ts";
import { storeRemotePost, updateRemotePost } from "../src/domain/remote/posts.ts";
import { suspendMember } from "../src/domain/members/moderation.ts";
import type { Viewer } from "../src/domain/audience.ts";

const REMOTE = "far.example";
let camp: TestCamp;
let ann = 0;
let bob = 0;
let rita = 0;
let annClient: TestClient;
const member = (id: number): Viewer => ({ kind: "member", accountId: id });

beforeAll(async () => {
  camp = await testCamp();
  ann = await camp.addMember("ann");
  bob = await camp.addMember("bob");
  rita = await upsertRemoteActor(camp.db, {
    uri: `https://${REMOTE}/users/rita`, kind: "Person", handle: "rita", domain: REMOTE, displayName: "Rita Quasar", bioHtml: "", url: `https://${REMOTE}/@rita`,
    inbox: `https://${REMOTE}/users/rita/inbox`, sharedInbox: null, followers: null, publicKeyId: null, publicKeyPem: null, avatarUrl: null, locked: false,
  });
  annClient = await camp.loggedIn("ann");
});
afterAll(() => camp.close());

const place = () => ({ mediaDir: camp.config.mediaDir, domain: camp.config.domain });
const find = async (viewer: Viewer, q: string, filters = {}) => (await searchPosts(camp.db, viewer, searchTerms(q), filters, null, 100)).hits.map((h) => h.item.post.id);
const remotePost = (n: number, html: string) => storeRemotePost(camp.db, {
  uri: `https://${REMOTE}/notes/${n}`, url: `https://${REMOTE}/@rita/${n}`, authorId: rita, audience: "public", html, contentWarning: "",
  inReplyToUri: null, inReplyToId: null, language: null, createdAt: Date.now(), mentionIds: [], tags: [], attachments: [],
});

describe("the index follows every write", () => {
  test("a new post is found; after an edit its old words are not and its new ones are; after deletion it is gone at once", async () => {
    const id = await postAs(camp, bob, { source: "Marmalade recipe from grandma" });
    expect(await find(member(ann), "marmalade")).toEqual([id]);
    await editPost(camp.db, place(), bob, id, { source: "Quince jelly recipe", contentWarning: "", audience: "camp", confirmWiden: false });
    expect(await find(member(ann), "marmalade")).toEqual([]);
    expect(await find(member(ann), "quince")).toEqual([id]);
    await deletePost(camp.db, bob, id);
    expect(await find(member(ann), "quince")).toEqual([]);
    expect((await annClient.get("/search?q=quince")).status).toBe(200);
    expect(await (await annClient.get("/search?q=quince")).text()).not.toContain(`/posts/${id}"`);
  });

  test("content warnings are searched too; boosts are not results of their own", async () => {
    const id = await postAs(camp, bob, { source: "plot details", contentWarning: "spoilers for Zanzibar", audience: "public" });
    await boostPost(camp.db, ann, id);
    expect(await find(member(ann), "zanzibar")).toEqual([id]);
  });

  test("remote posts are found by their words, not by their HTML's tag or attribute names, and follow their edits", async () => {
    const id = await remotePost(1, '<p>Watching <a href="https://far.example/tags/comets" class="mention hashtag">#comets</a> tonight</p><p>brilliant</p>');
    expect(await find(member(ann), "comets tonight")).toEqual([id]);
    expect(await find(member(ann), "hashtag")).toEqual([]);
    expect(await find(member(ann), "href")).toEqual([]);
    expect(await find(member(ann), "tonightbrilliant")).toEqual([]);
    await updateRemotePost(camp.db, id, {
      uri: `https://${REMOTE}/notes/1`, url: null, authorId: rita, audience: "public", html: "<p>Clouds instead</p>", contentWarning: "",
      inReplyToUri: null, inReplyToId: null, language: null, createdAt: Date.now(), mentionIds: [], tags: [], attachments: [],
    });
    expect(await find(member(ann), "comets")).toEqual([]);
    expect(await find(member(ann), "clouds")).toEqual([id]);
  });
});

describe("ranking and paging", () => {
  test("more relevant first; among equals, the newest first", async () => {
    const once = await postAs(camp, bob, { source: "a note about kumquat and other things entirely unrelated to it" });
    const older = await postAs(camp, bob, { source: "kumquat kumquat" });
    const newer = await postAs(camp, bob, { source: "kumquat kumquat" });
    expect(await find(member(ann), "kumquat")).toEqual([newer, older, once]);
  });

  test("a common word is ranked in windows of the newest matches: each window best first, every match exactly once", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push(await postAs(camp, bob, { source: i % 3 === 0 ? "windowed windowed windowed" : "windowed and other words" }));
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await searchPosts(camp.db, member(ann), searchTerms("windowed"), {}, cursor, 4, 10);
      seen.push(...page.hits.map((h) => h.item.post.id));
      cursor = page.next;
    } while (cursor && seen.length < 100);
    expect([...seen].sort((a, b) => a - b)).toEqual(ids);
    // Newest ten first (their strong matches, newest first, then the rest), then the next ten, then the oldest.
    const windows = [ids.slice(20), ids.slice(10, 20), ids.slice(0, 10)];
    const best = (w: number[]) => [...w.filter((id) => (id - ids[0]!) % 3 === 0).reverse(), ...w.filter((id) => (id - ids[0]!) % 3 !== 0).reverse()];
    expect(seen).toEqual(windows.flatMap(best));
  });

  test("a cursor walks every match exactly once, in rank order, through the domain and the page's More link", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 45; i++) ids.push(await postAs(camp, bob, { source: `pagination ${"word ".repeat(i % 5)}` }));
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await searchPosts(camp.db, member(ann), searchTerms("pagination"), {}, cursor, 20);
      seen.push(...page.hits.map((h) => h.item.post.id));
      cursor = page.next;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(45);
    expect(seen).toEqual(await find(member(ann), "pagination"));
    const first = await (await annClient.get("/search?q=pagination")).text();
    const more = /href="(\/search\?q=pagination&amp;cursor=[^"]+)"/.exec(first)![1]!.replaceAll("&amp;", "&");
    const fragment = await (await annClient.get(more, { "hx-request": "true" })).text();
    const onSecond = [...fragment.matchAll(/<a href="\/posts\/(\d+)"><time/g)].map((m) => Number(m[1]));
    expect(onSecond).toEqual(seen.slice(20, 40));
    expect(fragment).not.toContain("<html");
  });
});

describe("snippets", () => {
  test("matched words are marked and everything else is escaped, including markup in the post and FTS marker characters", async () => {
    await postAs(camp, bob, { source: "<script>alert(1)</script> \u0001<b>pancakes\u0002 with <img src=x onerror=alert(2)> syrup" });
    const page = await (await annClient.get("/search?q=pancakes")).text();
    expect(page).toContain("<mark>pancakes</mark>");
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain("<img src=x");
    expect(page).not.toContain("<b>");
    expect(page).toContain("&lt;script&gt;");
  });

  test("stray markers in a snippet never open or close a mark", () => {
    expect(snippetParts("a \u0001b\u0002 c \u0002 d \u0001e")).toEqual([
      { text: "a ", hit: false }, { text: "b", hit: true }, { text: " c  d ", hit: false }, { text: "e", hit: false },
    ]);
  });
});

describe("filters", () => {
  test("from a member, in a tag, before and after a date, only mine, only with images", async () => {
    const day = Date.UTC(2025, 5, 15);
    const byBob = await postAs(camp, bob, { source: "filtertest #harvest" });
    const byAnn = await postAs(camp, ann, { source: "filtertest plain" });
    await camp.db.updateTable("posts").set({ created_at: day }).where("id", "=", byAnn).execute();
    await camp.db.insertInto("media").values({ owner_id: bob, post_id: byBob, mime: "image/png", storage_key: "f.png", created_at: day }).execute();
    const all = [byBob, byAnn];
    expect((await find(member(ann), "filtertest")).sort()).toEqual(all.sort());
    expect(await find(member(ann), "filtertest", { authorId: bob })).toEqual([byBob]);
    expect(await find(member(ann), "filtertest", { onlyMine: true })).toEqual([byAnn]);
    expect(await find(member(ann), "filtertest", { tag: "harvest" })).toEqual([byBob]);
    expect(await find(member(ann), "filtertest", { withImages: true })).toEqual([byBob]);
    expect(await find(member(ann), "filtertest", { before: day + 1 })).toEqual([byAnn]);
    expect(await find(member(ann), "filtertest", { after: day + 1 })).toEqual([byBob]);
    const page = await (await annClient.get("/search?q=filtertest&from=bob&tag=%23harvest&images=1")).text();
    expect(page).toContain(`href="/posts/${byBob}"`);
    expect(page).not.toContain(`href="/posts/${byAnn}"`);
    // Filters alone, without words, list the newest matching posts.
    expect(await (await annClient.get("/search?mine=1&after=2025-06-15&before=2025-06-16")).text()).toContain(`href="/posts/${byAnn}"`);
  });

  test("an unknown member, a broken date or a tag with spaces get a clear message and 422", async () => {
    for (const [query, message] of <[string, string][]>[["from=nobody", "Nobody in this camp is called @nobody"], ["after=yesterday", "must be a date"], ["tag=two%20words", "That is not a tag"]]) {
      const response = await annClient.get(`/search?q=x&${query}`);
      expect(response.status).toBe(422);
      expect(await response.text()).toContain(message);
    }
  });
});

describe("people and tags", () => {
  test("members and accounts elsewhere by name or handle, never a suspended one; nothing for visitors", async () => {
    const zed = await camp.addMember("quasar");
    expect((await searchPeople(camp.db, member(ann), searchTerms("quasar"))).map((a) => a.id).sort()).toEqual([rita, zed].sort());
    const operator = { id: await camp.addMember("olive", "operator"), role: "operator" };
    await suspendMember(camp.db, zed, operator);
    expect((await searchPeople(camp.db, member(ann), searchTerms("quasar"))).map((a) => a.id)).toEqual([rita]);
    expect(await searchPeople(camp.db, { kind: "anonymous" }, searchTerms("quasar"))).toEqual([]);
  });

  test("a tag is offered only when the viewer may see a post carrying it", async () => {
    await postAs(camp, bob, { source: "#orchardsecret just for cy @cy", audience: "direct" }).catch(async () => {
      await camp.addMember("cy");
      await postAs(camp, bob, { source: "#orchardsecret just for cy @cy", audience: "direct" });
    });
    await postAs(camp, bob, { source: "#orchardopen for everyone" });
    expect(await searchTags(camp.db, member(ann), searchTerms("orchard"))).toEqual(["orchardopen"]);
    expect(await searchTags(camp.db, member(bob), searchTerms("orchard"))).toEqual(["orchardopen", "orchardsecret"]);
  });
});

describe("hostile queries", () => {
  const nasty = ['"', '"unbalanced', "NEAR(", "NEAR(a b", "*", "a*", "col:word", "source:pancakes", "content_warning : x", "' OR 1=1 --",
    "AND", "OR OR", "NOT", "(", ")", "^", "{source}: x", "pancakes\u0000", "x".repeat(500), "🙂", "\\", "%", "_"];
  for (const q of nasty) {
    test(`${JSON.stringify(q.length > 40 ? `${q.slice(0, 20)}…` : q)} gives a page, never a 500`, async () => {
      const response = await annClient.get(`/search?q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('id="search-results"');
    });
  }

  test("column filters and operators are searched as words", async () => {
    const id = await postAs(camp, bob, { source: "source near words" });
    expect(await find(member(ann), "source:near")).toEqual([id]);
    expect(await find(member(ann), "NEAR(source")).toEqual([id]);
  });

  test("a 10 KB query gets a clear message and 422, and a visitor's 10 KB query too", async () => {
    for (const client of [annClient, camp.client()]) {
      const response = await client.get(`/search?q=${"word ".repeat(2048)}`);
      expect(response.status).toBe(422);
      expect(await response.text()).toContain("That search is too long");
    }
  });
});

describe("the page", () => {
  test("with htmx the answer is only the results section; without, the whole page with the search box in the header", async () => {
    await postAs(camp, bob, { source: "rhubarb crumble" });
    const fragment = await (await annClient.get("/search?q=rhubarb", { "hx-request": "true" })).text();
    expect(fragment).toStartWith('<section id="search-results"');
    expect(fragment).toContain("<mark>rhubarb</mark>");
    const page = await (await annClient.get("/search?q=rhubarb")).text();
    expect(page).toContain('aria-label="Site search"');
    expect(page).toContain('hx-trigger="submit, input delay:300ms"');
  });

  test("a known handle or post address leads to it; an unknown one offers a lookup on its server to members", async () => {
    const id = await remotePost(77, "<p>known post</p>");
    const byHandle = await (await annClient.get(`/search?q=${encodeURIComponent(`@rita@${REMOTE}`)}`)).text();
    expect(byHandle).toContain(`href="/remote/${rita}"`);
    const byUrl = await (await annClient.get(`/search?q=${encodeURIComponent(`https://${REMOTE}/@rita/77`)}`)).text();
    expect(byUrl).toContain(`href="/posts/${id}"`);
    const unknown = await (await annClient.get(`/search?q=${encodeURIComponent("@someone@elsewhere.example")}`)).text();
    expect(unknown).toContain('action="/search/resolve"');
    expect(await (await camp.client().get(`/search?q=${encodeURIComponent("@someone@elsewhere.example")}`)).text()).not.toContain('action="/search/resolve"');
  });

  test("a lookup that cannot reach the other server says so (422), it is never a 500", async () => {
    const response = await annClient.post("/search/resolve", { q: "@someone@127.0.0.1:9" });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("We could not look that up");
  });

  test("visitors' searches are rate limited per address: past 30 a minute, 429 with a message; members are not", async () => {
    const visitor = camp.client();
    visitor.address = "192.0.2.44";
    for (let i = 0; i < 30; i++) expect((await visitor.get(`/search?q=w${i}`)).status).toBe(200);
    const response = await visitor.get("/search?q=one-more");
    expect(response.status).toBe(429);
    expect(await response.text()).toContain("Too many searches");
    const member = await camp.loggedIn("bob");
    for (let i = 0; i < 40; i++) expect((await member.get(`/search?q=m${i}`)).status).toBe(200);
  });
});
