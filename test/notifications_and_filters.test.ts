/**
 * Notifications (reply, mention, like, boost, follow) with the unread count in the navigation and
 * its polled fragment (which stops at 99+), "mark all read"; Home with remote posts and boosts; and
 * the member's filters: muting someone, hiding their boosts, muted words that hide or collapse.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { articleKeysIn, follows, idsOf, postAs } from "./support/posts.ts";
import { textOf } from "./support/pages.ts";
import { homeStream } from "../src/domain/timelines/streams.ts";
import { boostPost } from "../src/domain/posts/boost.ts";
import { likePost } from "../src/domain/posts/likes.ts";
import { notify } from "../src/domain/notifications/notify.ts";
import { blockAccount } from "../src/domain/remote/blocks.ts";

let camp: TestCamp;
let ann = 0;
let bob = 0;
let cat = 0;
let annClient: TestClient;

/** The text of the unread badge: its inner spans (if any) up to the badge's own closing tag. */
const badge = (html: string) => textOf(html.match(/<span id="unread-count"[^>]*>((?:\s*<span[^>]*>[^<]*<\/span>)*)\s*<\/span>/)?.[1] ?? "missing");

beforeAll(async () => {
  camp = await testCamp();
  ann = await camp.addMember("ann");
  bob = await camp.addMember("bob");
  cat = await camp.addMember("cat");
  annClient = await camp.loggedIn("ann");
});
afterAll(() => camp.close());

describe("notifications", () => {
  test("reply, mention, like, boost and follow each notify, and the count shows on reload and in the polled badge", async () => {
    expect(badge(await (await annClient.get("/")).text())).toBe("");
    const id = await postAs(camp, ann, { source: "what do you think?", audience: "public" });
    const bobClient = await camp.loggedIn("bob");
    await bobClient.post("/posts", { source: "I agree", audience: "public", in_reply_to: String(id) });
    await bobClient.post("/posts", { source: "hey @ann look", audience: "camp" });
    await bobClient.post(`/posts/${id}/like`, { next: "/" });
    await bobClient.post(`/posts/${id}/boost`, { next: "/" });
    await bobClient.post(`/accounts/${ann}/follow`);

    const page = await (await annClient.get("/notifications")).text();
    const text = textOf(page);
    for (const what of ["replied to your post", "mentioned you", "liked your post", "boosted your post", "followed you"]) expect(text).toContain(`Bob ${what}`);
    expect(badge(page)).toBe("5 unread");
    const polled = await (await annClient.get("/notifications/unread", { "HX-Request": "true" })).text();
    expect(polled).toContain('hx-trigger="every 30s"');
    expect(textOf(polled)).toBe("5 unread");
  });

  test("no notification for one's own actions, and none from someone muted", async () => {
    const before = (await camp.db.selectFrom("notifications").select("id").where("recipient_id", "=", ann).execute()).length;
    const id = await postAs(camp, ann, { source: "note to self" });
    await likePost(camp.db, ann, id);
    await annClient.post(`/accounts/${cat}/mute`);
    await likePost(camp.db, cat, id);
    await postAs(camp, cat, { source: "@ann hello?" });
    const after = (await camp.db.selectFrom("notifications").select("id").where("recipient_id", "=", ann).execute()).length;
    expect(after).toBe(before);
    await annClient.post(`/accounts/${cat}/unmute`);
  });

  test("mark all read empties the badge; a notification about a post deleted since disappears from the list and count", async () => {
    const response = await annClient.post("/notifications/read", { upTo: "999999" });
    expect(response.status).toBe(303);
    expect(badge(await (await annClient.get("/notifications")).text())).toBe("");
    const post = await postAs(camp, bob, { source: "@ann a question" });
    expect(badge(await (await annClient.get("/")).text())).toBe("1 unread");
    await camp.db.updateTable("posts").set({ deleted_at: Date.now() }).where("id", "=", post).execute();
    expect(badge(await (await annClient.get("/")).text())).toBe("");
  });

  test("the badge counts to 99, then says 99+; notifications the member may not see never fill it", async () => {
    const dee = await camp.addMember("dee");
    const ivy = await camp.addMember("ivy");
    const deeClient = await camp.loggedIn("dee");
    const post = await postAs(camp, dee, { source: "count the likes" });
    const liked = (actorId: number) => notify(camp.db, { recipientId: dee, kind: "like", actorId, postId: post });
    for (let i = 0; i < 99; i++) await liked(bob);
    await blockAccount(camp.db, dee, ivy);
    for (let i = 0; i < 5; i++) await liked(ivy);
    // 104 unread rows, 99 of them from someone dee has not blocked: the gate comes before the count stops.
    expect(badge(await (await deeClient.get("/")).text())).toBe("99 unread");
    await liked(bob);
    expect(badge(await (await deeClient.get("/")).text())).toBe("99+ unread");
    for (let i = 0; i < 50; i++) await liked(bob);
    expect(textOf(await (await deeClient.get("/notifications/unread", { "HX-Request": "true" })).text())).toBe("99+ unread");
    await deeClient.post("/notifications/read", { upTo: "999999" });
    await liked(bob);
    expect(badge(await (await deeClient.get("/")).text())).toBe("1 unread");
  });

  test("the notifications page is for members only", async () => {
    expect((await camp.client().get("/notifications")).status).toBe(303);
    expect(textOf(await (await camp.client().get("/notifications/unread")).text())).toBe("");
  });
});

describe("Home", () => {
  test("holds my posts, the posts and boosts of people I follow, remote ones alike, and not others'", async () => {
    const dan = await camp.addMember("dan");
    const eve = await camp.addMember("eve");
    const remote = await camp.db.insertInto("accounts").values({ handle: "ray", domain: "remote.example", uri: "https://remote.example/u/ray", created_at: Date.now() })
      .returning("id").executeTakeFirstOrThrow();
    await follows(camp, dan, eve);
    await camp.db.insertInto("follows").values({ follower_id: dan, followee_id: remote.id, state: "accepted", created_at: Date.now() }).execute();
    const mine = await postAs(camp, dan, { source: "mine" });
    const eves = await postAs(camp, eve, { source: "eve's" });
    const stranger = await postAs(camp, cat, { source: "cat's, public", audience: "public" });
    const remotePost = await camp.db.insertInto("posts").values({ author_id: remote.id, audience: "public", uri: "https://remote.example/p/1", html: "<p>from afar</p>", created_at: Date.now() })
      .returning("id").executeTakeFirstOrThrow();
    await boostPost(camp.db, eve, stranger);
    const home = await homeStream(camp.db, dan, null);
    expect(idsOf(home)).toEqual([stranger, remotePost.id, eves, mine]);
    expect(home.items[0]!.boostedBy?.handle).toBe("eve");
    const danClient = await camp.loggedIn("dan");
    const html = await (await danClient.get("/")).text();
    expect(textOf(html)).toContain("Boosted by Eve");
    expect(textOf(html)).toContain("from afar");
  });
});

describe("filters", () => {
  let fay = 0;
  let gus = 0;
  let fayClient: TestClient;
  beforeAll(async () => {
    fay = await camp.addMember("fay");
    gus = await camp.addMember("gus");
    const hal = await camp.addMember("hal");
    await follows(camp, fay, gus);
    await follows(camp, fay, hal);
    fayClient = await camp.loggedIn("fay");
  });

  test("muting someone takes their posts and boosts out of Home and Camp; unmuting brings them back", async () => {
    const post = await postAs(camp, gus, { source: "gus talks a lot" });
    await fayClient.post(`/accounts/${gus}/mute`);
    expect(idsOf(await homeStream(camp.db, fay, null))).not.toContain(post);
    expect(articleKeysIn(await (await fayClient.get("/camp")).text())).not.toContain(post);
    await fayClient.post(`/accounts/${gus}/unmute`);
    expect(idsOf(await homeStream(camp.db, fay, null))).toContain(post);
  });

  test("hiding someone's boosts keeps their own posts", async () => {
    const original = await postAs(camp, cat, { source: "boost-worthy", audience: "public" });
    const own = await postAs(camp, gus, { source: "gus's own" });
    await boostPost(camp.db, gus, original);
    await fayClient.post(`/accounts/${gus}/hide-boosts`);
    const ids = idsOf(await homeStream(camp.db, fay, null));
    expect(ids).toContain(own);
    expect(ids).not.toContain(original);
    await fayClient.post(`/accounts/${gus}/show-boosts`);
    expect(idsOf(await homeStream(camp.db, fay, null))).toContain(original);
  });

  test("a muted word set to hide removes posts (and boosts of them); set to collapse folds them behind a note", async () => {
    const hidden = await postAs(camp, gus, { source: "Spoilers for the FINALE tonight" });
    const collapsed = await postAs(camp, gus, { source: "more about politics today" });
    const plain = await postAs(camp, gus, { source: "just the weather" });
    expect((await fayClient.post("/filters/words", { word: "finale", action: "hide" })).status).toBe(303);
    expect((await fayClient.post("/filters/words", { word: "Politics", action: "collapse" })).status).toBe(303);
    const home = await homeStream(camp.db, fay, null);
    expect(idsOf(home)).not.toContain(hidden);
    expect(idsOf(home)).toContain(plain);
    expect(home.items.find((i) => i.post.id === collapsed)!.post.collapsedBy).toBe("Politics");
    const html = await (await fayClient.get("/")).text();
    expect(textOf(html)).toContain("Collapsed because it mentions “Politics”, a word you muted");
    // Opening the thread of a hidden post shows it, collapsed, rather than pretending it does not exist.
    expect(textOf(await (await fayClient.get(`/posts/${hidden}`)).text())).toContain("a word you muted");
  });

  test("muting the same word twice or an empty word is refused with a message", async () => {
    expect((await fayClient.post("/filters/words", { word: "FINALE", action: "hide" })).status).toBe(409);
    expect((await fayClient.post("/filters/words", { word: "  ", action: "hide" })).status).toBe(422);
    expect(textOf(await (await fayClient.get("/filters")).text())).toContain("“finale”: hidden");
  });
});
