/**
 * A member's own domain blocks: once Alice blocks far.example in Settings, its accounts' posts,
 * replies, boosts of their posts and notifications leave her Home, threads, search and
 * notifications (and come back when she lifts the block), while Bob, who blocks nothing, still sees
 * them all. Each check first shows the post is there for her, so it would fail without the rule.
 * Her own camp's domain cannot be blocked, and blocking twice changes nothing. Apps do the same
 * through Mastodon's /api/v1/domain_blocks. Blocking one account hides it from her the same way,
 * as on Mastodon (before, a block only ended follows: the blocked account's replies, boosts of its
 * posts and its mentions still reached the blocker).
 */
import { beforeAll, afterAll, describe, expect, test } from "bun:test";
import { storeRemotePost } from "../src/domain/remote/posts.ts";
import { homeStream, tagStream } from "../src/domain/timelines/streams.ts";
import { loadThread, type ThreadNode } from "../src/domain/posts/thread.ts";
import { listNotifications, unreadCount } from "../src/domain/notifications/inbox.ts";
import { searchPosts } from "../src/domain/search/posts.ts";
import { searchTerms } from "../src/domain/search/terms.ts";
import { boostPost } from "../src/domain/posts/boost.ts";
import { blockAccount, unblockAccount } from "../src/domain/remote/blocks.ts";
import { testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { follows, idsOf, postAs } from "./support/posts.ts";
import { tokenFor } from "./support/clientApi.ts";

let camp: TestCamp;
let alice: number;
let bob: number;
let aliceClient: TestClient;
const ids = { question: 0, far: 0, near: 0, farReply: 0, nearReply: 0, boostOfFar: 0 };
let fay = 0;

const member = (accountId: number) => ({ kind: "member" as const, accountId });
const threadIds = (nodes: ThreadNode[]): number[] => nodes.flatMap((n) => [n.post.id, ...threadIds(n.replies)]);

/** What a member sees of the far and near posts, everywhere the rule applies. */
async function seenBy(accountId: number) {
  const thread = await loadThread(camp.db, member(accountId), ids.question);
  const notifications = await listNotifications(camp.db, accountId, null);
  const search = await searchPosts(camp.db, member(accountId), searchTerms("zeppelin"), {}, null);
  return {
    home: idsOf(await homeStream(camp.db, accountId, null)),
    tag: idsOf(await tagStream(camp.db, member(accountId), "zeppelin", null)),
    thread: threadIds(thread!.roots),
    notified: notifications.items.map((n) => n.postId),
    unread: await unreadCount(camp.db, accountId),
    search: search.hits.map((h) => h.item.post.id),
  };
}

beforeAll(async () => {
  camp = await testCamp();
  alice = await camp.addMember("alice");
  bob = await camp.addMember("bob");
  const eve = await camp.addMember("eve");
  const remote = async (handle: string, domain: string) => (await camp.db.insertInto("accounts")
    .values({ handle, domain, uri: `https://${domain}/users/${handle}`, created_at: Date.now() }).returning("id").executeTakeFirstOrThrow()).id;
  const far = fay = await remote("fay", "far.example");
  const near = await remote("ned", "near.example");
  for (const reader of [alice, bob]) {
    for (const followee of [far, near]) {
      await camp.db.insertInto("follows").values({ follower_id: reader, followee_id: followee, state: "accepted", created_at: Date.now() }).execute();
    }
    await follows(camp, reader, eve);
  }
  const remotePost = (author: number, n: number, extra: { inReplyToId?: number; mentionIds?: number[] } = {}) => storeRemotePost(camp.db, {
    uri: `https://x/${author}/${n}`, url: null, authorId: author, audience: "public", html: `<p>zeppelin #zeppelin number ${n}</p>`, contentWarning: "",
    inReplyToUri: null, inReplyToId: extra.inReplyToId ?? null, language: null, createdAt: Date.now(), mentionIds: extra.mentionIds ?? [], tags: ["zeppelin"], attachments: [],
  });
  ids.question = await postAs(camp, alice, { source: "Who has seen a zeppelin?", audience: "public" });
  ids.far = await remotePost(far, 1, { mentionIds: [alice, bob] });
  ids.near = await remotePost(near, 2, { mentionIds: [alice, bob] });
  ids.farReply = await remotePost(far, 3, { inReplyToId: ids.question });
  ids.nearReply = await remotePost(near, 4, { inReplyToId: ids.question });
  await boostPost(camp.db, eve, ids.far);
  ids.boostOfFar = (await camp.db.selectFrom("posts").select("id").where("boost_of_id", "=", ids.far).executeTakeFirstOrThrow()).id;
  aliceClient = await camp.loggedIn("alice");
});
afterAll(() => camp.close());

describe("blocking a domain", () => {
  test("before any block, Alice sees far.example everywhere (so the checks below can fail)", async () => {
    const seen = await seenBy(alice);
    expect(seen.home).toEqual(expect.arrayContaining([ids.far, ids.farReply, ids.near, ids.nearReply]));
    expect(seen.tag).toEqual(expect.arrayContaining([ids.far, ids.near]));
    expect(seen.thread).toEqual([ids.question, ids.farReply, ids.nearReply]);
    expect(seen.notified).toEqual(expect.arrayContaining([ids.far, ids.farReply, ids.near]));
    expect(seen.search).toEqual(expect.arrayContaining([ids.far, ids.farReply, ids.near, ids.nearReply]));
    expect((await homeStream(camp.db, alice, null)).items.some((i) => i.key === ids.boostOfFar)).toBe(true);
  });

  test("from Settings (a CSRF-protected form), its posts, replies, boosts and notifications leave Alice's pages, and no one else's", async () => {
    const before = await unreadCount(camp.db, alice);
    const response = await aliceClient.post("/settings/domain-blocks", { domain: "https://Far.Example/" });
    expect(response.status).toBe(303);
    expect(await (await aliceClient.get("/settings/domain-blocks?notice=blocked")).text()).toContain("<li>far.example");

    const seen = await seenBy(alice);
    for (const list of [seen.home, seen.tag, seen.thread, seen.notified, seen.search]) {
      expect(list).not.toContain(ids.far);
      expect(list).not.toContain(ids.farReply);
    }
    expect((await homeStream(camp.db, alice, null)).items.some((i) => i.key === ids.boostOfFar)).toBe(false);
    expect(seen.home).toEqual(expect.arrayContaining([ids.near, ids.nearReply]));
    expect(seen.thread).toEqual([ids.question, ids.nearReply]);
    expect(seen.notified).toContain(ids.near);
    expect(seen.unread).toBe(before - 2);

    // The pages say the same as the domain.
    const home = await (await aliceClient.get("/")).text();
    expect(home).not.toContain("number 1<");
    expect(home).toContain("number 2<");
    const thread = await (await aliceClient.get(`/posts/${ids.question}`)).text();
    expect(thread).not.toContain("number 3<");
    expect(thread).toContain("number 4<");
    expect(await (await aliceClient.get("/notifications")).text()).not.toContain("@fay@far.example");

    const bobSees = await seenBy(bob);
    expect(bobSees.home).toEqual(expect.arrayContaining([ids.far, ids.farReply]));
    expect(bobSees.thread).toEqual([ids.question, ids.farReply, ids.nearReply]);
    expect(bobSees.notified).toContain(ids.far);
    expect(bobSees.search).toEqual(expect.arrayContaining([ids.far, ids.farReply]));
  });

  test("opening a far post directly still shows it: only what she did not ask for is hidden", async () => {
    const thread = await loadThread(camp.db, member(alice), ids.farReply);
    expect(threadIds(thread!.roots)).toEqual([ids.question, ids.farReply, ids.nearReply]);
  });

  test("blocking it twice changes nothing; the camp's own domain is refused with a clear message", async () => {
    expect((await aliceClient.post("/settings/domain-blocks", { domain: "far.example" })).status).toBe(303);
    expect(await camp.db.selectFrom("member_domain_blocks").selectAll().where("account_id", "=", alice).execute()).toHaveLength(1);
    const own = await aliceClient.post("/settings/domain-blocks", { domain: camp.config.domain });
    expect(own.status).toBe(422);
    expect(await own.text()).toContain("is this camp&#39;s own domain");
    const bad = await aliceClient.post("/settings/domain-blocks", { domain: "not a domain" });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("Type a domain like example.social");
    expect((await aliceClient.post("/settings/domain-blocks", { domain: "far.example", _csrf: "" })).status).toBe(403);
  });

  test("lifting the block brings everything back", async () => {
    expect((await aliceClient.post("/settings/domain-blocks/unblock", { domain: "far.example" })).status).toBe(303);
    const seen = await seenBy(alice);
    expect(seen.home).toEqual(expect.arrayContaining([ids.far, ids.farReply]));
    expect(seen.thread).toEqual([ids.question, ids.farReply, ids.nearReply]);
    expect(seen.notified).toContain(ids.far);
  });
});

describe("blocking one account", () => {
  test("fay's posts, replies, boosts of her posts and her mentions leave Alice's pages, and no one else's; near.example's stay", async () => {
    const before = await seenBy(alice);
    expect(before.thread).toEqual([ids.question, ids.farReply, ids.nearReply]);
    expect(before.notified).toContain(ids.far);
    await blockAccount(camp.db, alice, fay);

    const seen = await seenBy(alice);
    for (const list of [seen.home, seen.tag, seen.thread, seen.notified, seen.search]) {
      expect(list).not.toContain(ids.far);
      expect(list).not.toContain(ids.farReply);
    }
    expect((await homeStream(camp.db, alice, null)).items.some((i) => i.key === ids.boostOfFar)).toBe(false);
    expect(seen.thread).toEqual([ids.question, ids.nearReply]);
    expect(seen.tag).toContain(ids.near);
    expect(seen.notified).toContain(ids.near);
    expect(await (await aliceClient.get(`/posts/${ids.question}`)).text()).not.toContain("number 3<");

    const bobSees = await seenBy(bob);
    expect(bobSees.thread).toEqual([ids.question, ids.farReply, ids.nearReply]);
    expect(bobSees.notified).toContain(ids.far);
  });

  test("unblocking brings her replies, tags and mentions back", async () => {
    await unblockAccount(camp.db, alice, fay);
    const seen = await seenBy(alice);
    expect(seen.thread).toEqual([ids.question, ids.farReply, ids.nearReply]);
    expect(seen.tag).toContain(ids.far);
    expect(seen.notified).toContain(ids.far);
  });
});

describe("for apps (Mastodon's /api/v1/domain_blocks)", () => {
  test("an app lists, blocks and unblocks the member's domains; the camp's own is refused; a read-only token cannot block", async () => {
    const token = await tokenFor(camp, "bob");
    const call = (method: string, body?: Record<string, string>) => camp.client().request("/api/v1/domain_blocks", {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body && JSON.stringify(body),
    });
    expect(await (await call("GET")).json()).toEqual([]);
    expect((await call("POST", { domain: "far.example" })).status).toBe(200);
    expect(await (await call("GET")).json()).toEqual(["far.example"]);
    expect(idsOf(await homeStream(camp.db, bob, null))).not.toContain(ids.far);
    const own = await call("POST", { domain: camp.config.domain });
    expect(own.status).toBe(422);
    expect((await own.json() as { error: string }).error).toContain("this camp's own domain");
    expect((await call("DELETE", { domain: "far.example" })).status).toBe(200);
    expect(await (await call("GET")).json()).toEqual([]);

    const readOnly = await tokenFor(camp, "bob", "read");
    const refused = await camp.client().request("/api/v1/domain_blocks", {
      method: "POST", headers: { authorization: `Bearer ${readOnly}`, "content-type": "application/json" }, body: JSON.stringify({ domain: "far.example" }),
    });
    expect(refused.status).toBe(403);
    expect(await camp.db.selectFrom("member_domain_blocks").selectAll().where("account_id", "=", bob).execute()).toEqual([]);
  });
});
