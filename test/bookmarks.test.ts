/**
 * Bookmarks: Save and Unsave under a post (plain forms and htmx, CSRF-checked), a private Saved
 * page paged by a cursor, and only posts the member may still see: a post they cannot see cannot
 * be saved, and a saved post that is deleted or narrowed drops off the page.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { articleKeysIn, idsOf, postAs } from "./support/posts.ts";
import { bookmarkPost, unbookmarkPost } from "../src/domain/bookmarks/bookmarks.ts";
import { savedStream } from "../src/domain/bookmarks/savedStream.ts";
import { boostPost } from "../src/domain/posts/boost.ts";

let camp: TestCamp;
let ann = 0;
let bob = 0;
let annClient: TestClient;

beforeAll(async () => {
  camp = await testCamp();
  ann = await camp.addMember("ann");
  bob = await camp.addMember("bob");
  await camp.addMember("cy");
  annClient = await camp.loggedIn("ann");
});
afterAll(() => camp.close());

const savedRows = (accountId: number) => camp.db.selectFrom("bookmarks").select("post_id").where("account_id", "=", accountId).execute();

describe("saving from a post card", () => {
  test("without JavaScript: Save redirects back, the post is on the Saved page, and its card now offers Unsave", async () => {
    const id = await postAs(camp, bob, { source: "keep this recipe" });
    const response = await annClient.post(`/posts/${id}/save`, { next: "/camp" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/camp");
    const saved = await (await annClient.get("/saved")).text();
    expect(articleKeysIn(saved)).toContain(id);
    expect(saved).toContain(`action="/posts/${id}/unsave"`);
    expect((await annClient.post(`/posts/${id}/unsave`, { next: "/saved" })).status).toBe(303);
    expect(articleKeysIn(await (await annClient.get("/saved")).text())).not.toContain(id);
  });

  test("with htmx: the action bar comes back with Unsave pressed", async () => {
    const id = await postAs(camp, bob, { source: "htmx save" });
    const response = await annClient.request(`/posts/${id}/save`, {
      method: "POST", headers: { "hx-request": "true", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: annClient.csrf!, next: "/camp" }),
    });
    expect(response.status).toBe(200);
    const fragment = await response.text();
    expect(fragment).toStartWith('<div class="post-actions">');
    expect(fragment).toMatch(/action="\/posts\/\d+\/unsave"[^>]*>.*?aria-pressed="true">Unsave</);
  });

  test("without the CSRF token nothing is saved (403)", async () => {
    const id = await postAs(camp, bob, { source: "forged save" });
    const response = await annClient.post(`/posts/${id}/save`, { _csrf: "", next: "/" });
    expect(response.status).toBe(403);
    expect((await savedRows(ann)).map((r) => r.post_id)).not.toContain(id);
  });

  test("saving twice keeps one bookmark; saving a boost saves the boosted post", async () => {
    const id = await postAs(camp, bob, { source: "boost me", audience: "public" });
    expect(await bookmarkPost(camp.db, ann, id)).toBe(id);
    expect(await bookmarkPost(camp.db, ann, id)).toBe(id);
    const boost = await boostPost(camp.db, bob, id);
    const boostRow = await camp.db.selectFrom("posts").select("id").where("boost_of_id", "=", boost).executeTakeFirst();
    expect(await bookmarkPost(camp.db, ann, boostRow?.id ?? id)).toBe(id);
    expect((await savedRows(ann)).filter((r) => r.post_id === id).length).toBe(1);
  });

  test("a post the member may not see cannot be saved: 404 and no row", async () => {
    const secret = await postAs(camp, bob, { source: "for @cy only", audience: "direct" });
    const response = await annClient.post(`/posts/${secret}/save`, { next: "/" });
    expect(response.status).toBe(404);
    expect((await savedRows(ann)).map((r) => r.post_id)).not.toContain(secret);
  });
});

describe("the Saved page", () => {
  test("is private: another member's Saved page does not show ann's bookmarks", async () => {
    const id = await postAs(camp, bob, { source: "ann's secret interest" });
    await bookmarkPost(camp.db, ann, id);
    const bobClient = await camp.loggedIn("bob");
    expect(articleKeysIn(await (await bobClient.get("/saved")).text())).not.toContain(id);
    expect((await camp.client().get("/saved")).status).toBe(303);
  });

  test("drops a saved post once it is deleted or narrowed to an audience the member is not in", async () => {
    const deleted = await postAs(camp, bob, { source: "soon deleted", audience: "public" });
    const narrowed = await postAs(camp, bob, { source: "soon narrowed", audience: "public" });
    await bookmarkPost(camp.db, ann, deleted);
    await bookmarkPost(camp.db, ann, narrowed);
    await camp.db.updateTable("posts").set({ deleted_at: Date.now() }).where("id", "=", deleted).execute();
    await camp.db.updateTable("posts").set({ audience: "followers" }).where("id", "=", narrowed).execute();
    const ids = idsOf(await savedStream(camp.db, ann, null, 100));
    expect(ids).not.toContain(deleted);
    expect(ids).not.toContain(narrowed);
  });

  test("pages newest saved first, by a cursor, each bookmark exactly once", async () => {
    const cat = await camp.addMember("cat");
    const posts: number[] = [];
    for (let i = 0; i < 45; i++) posts.push(await postAs(camp, bob, { source: `saved ${i}` }));
    // Saved in an order unlike the posts' own, so the page follows saving, not posting.
    const order = [...posts].reverse().filter((_, i) => i % 2 === 0).concat([...posts].reverse().filter((_, i) => i % 2 === 1));
    for (const id of order) await bookmarkPost(camp.db, cat, id);
    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const page = await savedStream(camp.db, cat, cursor);
      seen.push(...idsOf(page));
      cursor = page.next;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...order].reverse());
    const catClient = await camp.loggedIn("cat");
    const first = await (await catClient.get("/saved")).text();
    const more = /href="(\/saved\?before=\d+)"/.exec(first)![1]!;
    expect(articleKeysIn(await (await catClient.get(more)).text())).toEqual(seen.slice(20, 40));
  });

  test("unsaving a post one can no longer see still removes it", async () => {
    const id = await postAs(camp, bob, { source: "gone later", audience: "public" });
    await bookmarkPost(camp.db, ann, id);
    await camp.db.updateTable("posts").set({ deleted_at: Date.now() }).where("id", "=", id).execute();
    await unbookmarkPost(camp.db, ann, id);
    expect((await savedRows(ann)).map((r) => r.post_id)).not.toContain(id);
  });
});
