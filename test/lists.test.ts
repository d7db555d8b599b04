/**
 * Lists: made and changed through plain forms, only people one follows, private to their owner
 * (404 to anyone else), a stream of their people's posts paged by a cursor, and exclusive lists
 * taking their people out of Home; and followed tags bringing their public and camp posts (only
 * those the member may see) into Home. Who may see which post in a list is proven in
 * post_visibility_table.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { articleKeysIn, follows, idsOf, postAs } from "./support/posts.ts";
import { addToList, createList, MAX_LISTS, updateList } from "../src/domain/lists/lists.ts";
import { listStream } from "../src/domain/lists/listStream.ts";
import { homeStream } from "../src/domain/timelines/streams.ts";
import { Refusal } from "../src/domain/errors.ts";

let camp: TestCamp;
let ann = 0;
let bob = 0;
let cat = 0;
let annClient: TestClient;

beforeAll(async () => {
  camp = await testCamp();
  ann = await camp.addMember("ann");
  bob = await camp.addMember("bob");
  cat = await camp.addMember("cat");
  await follows(camp, ann, bob);
  await follows(camp, ann, cat);
  annClient = await camp.loggedIn("ann");
});
afterAll(() => camp.close());

const listIdIn = (location: string | null) => Number(/\/lists\/(\d+)/.exec(location ?? "")![1]);

describe("making a list", () => {
  test("without JavaScript: make it, add someone one follows, read their posts there", async () => {
    const bobPost = await postAs(camp, bob, { source: "bob on the list" });
    const made = await annClient.post("/lists", { title: "Garden club", exclusive: "" });
    expect(made.status).toBe(303);
    const id = listIdIn(made.headers.get("location"));
    const added = await annClient.post(`/lists/${id}/add`, { account: String(bob) });
    expect(added.status).toBe(303);
    const page = await (await annClient.get(`/lists/${id}`)).text();
    expect(page).toContain("Garden club");
    expect(articleKeysIn(page)).toContain(bobPost);
    expect(page).toContain(`action="/lists/${id}/remove/${bob}"`);
    expect(await (await annClient.get("/lists")).text()).toContain(`href="/lists/${id}"`);
  });

  test("someone one does not follow cannot be added: 422 with a message, nobody added", async () => {
    const id = await createList(camp.db, bob, { title: "Bob's", exclusive: false });
    const bobClient = await camp.loggedIn("bob");
    const response = await bobClient.post(`/lists/${id}/add`, { account: String(cat) });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("Only people you follow");
    expect(await camp.db.selectFrom("list_members").selectAll().where("list_id", "=", id).execute()).toEqual([]);
  });

  test("a name that is empty or too long, or one list too many, is refused clearly", async () => {
    for (const [title, message] of [["  ", "Give the list a name"], ["x".repeat(101), "at most 100 characters"]]) {
      const response = await annClient.post("/lists", { title: title!, exclusive: "" });
      expect(response.status).toBe(422);
      expect(await response.text()).toContain(message!);
    }
    const dee = await camp.addMember("dee");
    for (let i = 0; i < MAX_LISTS; i++) await createList(camp.db, dee, { title: `l${i}`, exclusive: false });
    const refused = await createList(camp.db, dee, { title: "one more", exclusive: false }).catch((e) => e);
    expect(refused).toBeInstanceOf(Refusal);
    expect((refused as Refusal).message).toContain("delete one first");
  });

  test("a list is its owner's alone: anyone else gets 404 reading or changing it", async () => {
    const id = await createList(camp.db, ann, { title: "Private", exclusive: false });
    const bobClient = await camp.loggedIn("bob");
    expect((await bobClient.get(`/lists/${id}`)).status).toBe(404);
    expect((await bobClient.post(`/lists/${id}/edit`, { title: "Mine now" })).status).toBe(404);
    expect((await bobClient.post(`/lists/${id}/delete`)).status).toBe(404);
    expect((await camp.db.selectFrom("lists").select("title").where("id", "=", id).executeTakeFirstOrThrow()).title).toBe("Private");
    expect((await camp.client().get(`/lists/${id}`)).status).toBe(303);
  });
});

describe("exclusive lists and Home", () => {
  test("an exclusive list's people leave Home and stay in the list; making it inclusive brings them back", async () => {
    const catPost = await postAs(camp, cat, { source: "cat writes" });
    const id = await createList(camp.db, ann, { title: "Cats", exclusive: true });
    await addToList(camp.db, ann, id, cat);
    expect(idsOf(await homeStream(camp.db, ann, null))).not.toContain(catPost);
    expect(idsOf(await listStream(camp.db, ann, id, null))).toContain(catPost);
    await updateList(camp.db, ann, id, { title: "Cats", exclusive: false });
    expect(idsOf(await homeStream(camp.db, ann, null))).toContain(catPost);
    await annClient.post(`/lists/${id}/delete`);
    expect(await camp.db.selectFrom("lists").select("id").where("id", "=", id).execute()).toEqual([]);
  });
});

describe("a list's stream", () => {
  test("pages newest first by a cursor, each post once, through the domain and the page's link", async () => {
    const eve = await camp.addMember("eve");
    await follows(camp, ann, eve);
    const posts: number[] = [];
    for (let i = 0; i < 45; i++) posts.push(await postAs(camp, eve, { source: `eve ${i}` }));
    const id = await createList(camp.db, ann, { title: "Eve", exclusive: false });
    await addToList(camp.db, ann, id, eve);
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page = await listStream(camp.db, ann, id, cursor);
      seen.push(...idsOf(page));
      cursor = page.next;
    } while (cursor !== null);
    expect(seen).toEqual([...posts].reverse());
    const first = await (await annClient.get(`/lists/${id}`)).text();
    const more = /href="(\/lists\/\d+\?before=\d+)"/.exec(first)![1]!;
    expect(articleKeysIn(await (await annClient.get(more)).text())).toEqual(seen.slice(20, 40));
  });
});

describe("following tags", () => {
  test("a followed tag's public and camp posts join Home; unlisted, followers-only and direct ones do not; unfollowing takes them away", async () => {
    const fox = await camp.addMember("fox");
    const seen = {
      camp: await postAs(camp, fox, { source: "#harvest in the camp" }),
      public: await postAs(camp, fox, { source: "#harvest for all", audience: "public" }),
      unlisted: await postAs(camp, fox, { source: "#harvest quietly", audience: "unlisted" }),
      followers: await postAs(camp, fox, { source: "#harvest for followers", audience: "followers" }),
      direct: await postAs(camp, fox, { source: "#harvest just for @ann", audience: "direct" }),
    };
    const page = await annClient.get("/tags/harvest");
    expect(await page.text()).toContain('action="/tags/harvest/follow"');
    const followed = await annClient.post("/tags/harvest/follow");
    expect(followed.status).toBe(303);
    expect(await (await annClient.get("/tags/harvest")).text()).toContain("Unfollow #harvest");
    const home = idsOf(await homeStream(camp.db, ann, null));
    expect(home).toContain(seen.camp);
    expect(home).toContain(seen.public);
    for (const hidden of [seen.unlisted, seen.followers, seen.direct]) expect(home).not.toContain(hidden);
    expect(articleKeysIn(await (await annClient.get("/")).text())).toContain(seen.public);
    await annClient.post("/tags/harvest/unfollow");
    const after = idsOf(await homeStream(camp.db, ann, null));
    expect(after).not.toContain(seen.camp);
    expect(after).not.toContain(seen.public);
  });

  test("a tag that is not a tag is refused (422) and nothing is followed", async () => {
    const response = await annClient.post(`/tags/${encodeURIComponent("two words")}/follow`);
    expect(response.status).toBe(422);
    expect(await camp.db.selectFrom("followed_tags").selectAll().where("account_id", "=", ann).execute()).toEqual([]);
  });
});
