/**
 * The client API's endpoints each do what their page does, through the same domain functions:
 * accounts (own, show, lookup, statuses, followers, relationships, follow, block, mute, update),
 * statuses (context, edit with source and history, delete, reblog), tag timelines, notifications
 * (dismiss, clear), markers, filters on muted words, and preferences.
 */
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { tokenFor } from "./support/clientApi.ts";
import { solidPng } from "./support/png.ts";

// Logging in (scrypt) and hundreds of requests take several seconds on a busy machine.
setDefaultTimeout(30_000);

let camp: TestCamp;
let alice: string;
let bob: string;
let aliceId: number;
let bobId: number;

beforeAll(async () => {
  camp = await testCamp();
  aliceId = await camp.addMember("alice");
  bobId = await camp.addMember("bob");
  alice = await tokenFor(camp, "alice");
  bob = await tokenFor(camp, "bob");
}, 60_000);
afterAll(() => camp.close());

async function call<T = any>(token: string, path: string, method = "GET", body?: unknown): Promise<{ status: number; body: T; response: Response }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await camp.client().request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: await response.json() as T, response };
}
const post = (token: string, status: string, extra: Record<string, unknown> = {}) => call(token, "/api/v1/statuses", "POST", { status, ...extra }).then((r) => r.body);

describe("accounts", () => {
  test("show, lookup and search find members; counts are the ones the member may see", async () => {
    await post(bob, "bob's first");
    const shown = await call(alice, `/api/v1/accounts/${bobId}`);
    expect(shown.body).toMatchObject({ id: String(bobId), acct: "bob", statuses_count: 1, followers_count: 0 });
    expect((await call(alice, "/api/v1/accounts/lookup?acct=bob")).body.id).toBe(String(bobId));
    expect((await call(alice, `/api/v1/accounts/lookup?acct=bob@${camp.config.domain}`)).body.id).toBe(String(bobId));
    expect((await call(alice, "/api/v1/accounts/lookup?acct=nobody")).status).toBe(404);
    expect((await call(alice, "/api/v1/accounts/search?q=bo")).body.map((a: { acct: string }) => a.acct)).toEqual(["bob"]);
    expect((await call(alice, "/api/v1/accounts/999999")).status).toBe(404);
  });

  test("follow, then relationships, followers and following; unfollow twice is answered, not refused", async () => {
    const followed = await call(alice, `/api/v1/accounts/${bobId}/follow`, "POST");
    expect(followed.body).toMatchObject({ id: String(bobId), following: true, requested: false });
    const [rel] = (await call(bob, `/api/v1/accounts/relationships?id[]=${aliceId}`)).body;
    expect(rel).toMatchObject({ followed_by: true, following: false });
    expect((await call(alice, `/api/v1/accounts/${bobId}/followers`)).body.map((a: { acct: string }) => a.acct)).toEqual(["alice"]);
    expect((await call(alice, `/api/v1/accounts/${aliceId}/following`)).body.map((a: { acct: string }) => a.acct)).toEqual(["bob"]);
    expect((await call(alice, `/api/v1/accounts/${bobId}/follow`, "POST")).status).toBe(200);
    const home = await call(alice, "/api/v1/timelines/home");
    expect(home.body.map((s: { content: string }) => s.content).join()).toContain("bob's first");
  });

  test("mute hides bob from alice's home; block shows in the relationship; both undo", async () => {
    expect((await call(alice, `/api/v1/accounts/${bobId}/mute`, "POST")).body.muting).toBe(true);
    const home = await call(alice, "/api/v1/timelines/home");
    expect(home.body.some((s: { account: { id: string } }) => s.account.id === String(bobId))).toBe(false);
    expect((await call(alice, "/api/v1/mutes")).body.map((a: { acct: string }) => a.acct)).toEqual(["bob"]);
    expect((await call(alice, `/api/v1/accounts/${bobId}/unmute`, "POST")).body.muting).toBe(false);
    const blocked = await call(alice, `/api/v1/accounts/${bobId}/block`, "POST");
    expect(blocked.body).toMatchObject({ blocking: true, following: false });
    expect((await call(bob, `/api/v1/accounts/relationships?id[]=${aliceId}`)).body[0].blocked_by).toBe(true);
    expect((await call(alice, "/api/v1/blocks")).body.map((a: { acct: string }) => a.acct)).toEqual(["bob"]);
    expect((await call(alice, `/api/v1/accounts/${bobId}/unblock`, "POST")).body.blocking).toBe(false);
    expect((await call(alice, "/api/v1/blocks")).body).toEqual([]);
  });

  test("a member who approves followers sees the request and authorizes it", async () => {
    const carolId = await camp.addMember("carol");
    const carol = await tokenFor(camp, "carol");
    await camp.db.updateTable("accounts").set({ locked: 1 }).where("id", "=", carolId).execute();
    expect((await call(alice, `/api/v1/accounts/${carolId}/follow`, "POST")).body).toMatchObject({ following: false, requested: true });
    expect((await call(carol, "/api/v1/follow_requests")).body.map((a: { acct: string }) => a.acct)).toEqual(["alice"]);
    expect((await call(carol, `/api/v1/accounts/relationships?id[]=${aliceId}`)).body[0].requested_by).toBe(true);
    const authorized = await call(carol, `/api/v1/follow_requests/${aliceId}/authorize`, "POST");
    expect(authorized.body).toMatchObject({ followed_by: true, requested_by: false });
    expect((await call(carol, `/api/v1/follow_requests/${aliceId}/reject`, "POST")).status).toBe(404);
  });

  test("update_credentials changes the name, the note and the avatar", async () => {
    const form = new FormData();
    form.append("display_name", "Alice A.");
    form.append("note", "I like **tea**");
    form.append("avatar", new Blob([solidPng()], { type: "image/png" }), "me.png");
    const response = await camp.client().request("/api/v1/accounts/update_credentials", { method: "PATCH", headers: { authorization: `Bearer ${alice}` }, body: form });
    const me = await response.json() as { display_name: string; note: string; avatar: string; source: { note: string } };
    expect(me.display_name).toBe("Alice A.");
    expect(me.note).toContain("<strong>tea</strong>");
    expect(me.source.note).toBe("I like **tea**");
    expect(me.avatar).toMatch(/\/media\/[0-9a-f]{32}\.png$/);
    const tooLong = await call(alice, "/api/v1/accounts/update_credentials", "PATCH", { display_name: "x".repeat(200) });
    expect(tooLong.status).toBe(422);
  });

  test("an account's statuses, excluding replies when asked", async () => {
    const root = await post(bob, "bob root");
    await post(bob, "bob reply", { in_reply_to_id: root.id });
    const all = await call(alice, `/api/v1/accounts/${bobId}/statuses`);
    expect(all.body.map((s: { content: string }) => s.content).join()).toContain("bob reply");
    const noReplies = await call(alice, `/api/v1/accounts/${bobId}/statuses?exclude_replies=true`);
    expect(noReplies.body.map((s: { content: string }) => s.content).join()).not.toContain("bob reply");
    expect(all.response.headers.get("link")).toContain("max_id=");
  });
});

describe("statuses", () => {
  test("context gives ancestors and descendants of the focus", async () => {
    const a = await post(alice, "thread one");
    const b = await post(bob, "thread two", { in_reply_to_id: a.id });
    const c = await post(alice, "thread three", { in_reply_to_id: b.id });
    const context = (await call(bob, `/api/v1/statuses/${b.id}/context`)).body;
    expect(context.ancestors.map((s: { id: string }) => s.id)).toEqual([a.id]);
    expect(context.descendants.map((s: { id: string }) => s.id)).toEqual([c.id]);
    expect(c.in_reply_to_id).toBe(b.id);
    expect(c.in_reply_to_account_id).toBe(String(bobId));
    expect((await call(bob, `/api/v1/statuses/${a.id}`)).body.replies_count).toBe(1);
  });

  test("replies_count counts only the replies the reader may see", async () => {
    const root = await post(alice, "a public question", { visibility: "public" });
    await post(bob, "a public answer", { in_reply_to_id: root.id, visibility: "public" });
    await post(alice, "a followers-only aside", { in_reply_to_id: root.id, visibility: "private", local_only: false });
    expect((await call(alice, `/api/v1/statuses/${root.id}`)).body.replies_count).toBe(2);
    expect((await call(bob, `/api/v1/statuses/${root.id}`)).body.replies_count).toBe(1);
  });

  test("edit keeps the audience; source and history show the versions; only the author may edit", async () => {
    const original = await post(alice, "first words", { visibility: "public" });
    const edited = await call(alice, `/api/v1/statuses/${original.id}`, "PUT", { status: "second words", spoiler_text: "cw" });
    expect(edited.body).toMatchObject({ visibility: "public", spoiler_text: "cw", sensitive: true });
    expect(edited.body.edited_at).not.toBeNull();
    expect((await call(alice, `/api/v1/statuses/${original.id}/source`)).body).toEqual({ id: original.id, text: "second words", spoiler_text: "cw" });
    const history = (await call(alice, `/api/v1/statuses/${original.id}/history`)).body;
    expect(history.map((v: { content: string }) => v.content)).toEqual([expect.stringContaining("first words"), expect.stringContaining("second words")]);
    expect((await call(bob, `/api/v1/statuses/${original.id}`, "PUT", { status: "mine" })).status).toBe(403);
    expect((await call(bob, `/api/v1/statuses/${original.id}/source`)).status).toBe(404);
  });

  test("reblog and favourite show on the status; delete answers with the source and the post is gone", async () => {
    const target = await post(bob, "boost me");
    const reblogged = await call(alice, `/api/v1/statuses/${target.id}/reblog`, "POST");
    expect(reblogged.body).toMatchObject({ account: { acct: "alice" }, reblog: { id: target.id, reblogged: true, reblogs_count: 1 } });
    const aliceHome = (await call(alice, "/api/v1/timelines/home")).body;
    const boost = aliceHome.find((s: { reblog: { id: string } | null }) => s.reblog?.id === target.id);
    expect(boost.account.acct).toBe("alice");
    expect((await call(bob, `/api/v1/statuses/${target.id}/reblogged_by`)).body.map((a: { acct: string }) => a.acct)).toEqual(["alice"]);
    expect((await call(alice, `/api/v1/statuses/${target.id}/unreblog`, "POST")).body.reblogged).toBe(false);
    expect((await call(alice, `/api/v1/statuses/${target.id}/favourite`, "POST")).body.favourited).toBe(true);
    expect((await call(alice, `/api/v1/statuses/${target.id}/bookmark`, "POST")).body.bookmarked).toBe(true);
    const saved = await call(alice, "/api/v1/bookmarks");
    expect(saved.body.map((s: { id: string }) => s.id)).toEqual([target.id]);
    expect(saved.response.headers.get("link")).toContain("max_id=");
    expect((await call(bob, "/api/v1/bookmarks")).body).toEqual([]);
    expect((await call(alice, `/api/v1/statuses/${target.id}/unbookmark`, "POST")).body.bookmarked).toBe(false);
    expect((await call(alice, "/api/v1/bookmarks")).body).toEqual([]);
    expect((await call(bob, `/api/v1/statuses/${target.id}/favourited_by`)).body.map((a: { acct: string }) => a.acct)).toEqual(["alice"]);
    const favourites = await call(alice, "/api/v1/favourites");
    expect(favourites.body.map((s: { id: string }) => s.id)).toContain(target.id);
    expect(favourites.response.headers.get("link")).toContain("max_id=");
    const deleted = await call(bob, `/api/v1/statuses/${target.id}`, "DELETE");
    expect(deleted.body).toMatchObject({ id: target.id, text: "boost me" });
    expect((await call(bob, `/api/v1/statuses/${target.id}`)).status).toBe(404);
    expect((await call(alice, `/api/v1/statuses/${target.id}`, "DELETE")).status).toBe(404);
    expect((await call(alice, "/api/v1/favourites")).body.map((s: { id: string }) => s.id)).not.toContain(target.id);
  });

  test("followers-only posts are 404 to non-followers, and cannot be reblogged by followers: 403 with the reason", async () => {
    const target = await post(bob, "only followers", { visibility: "private", local_only: false });
    expect((await call(alice, `/api/v1/statuses/${target.id}/reblog`, "POST")).status).toBe(404);
    await call(alice, `/api/v1/accounts/${bobId}/follow`, "POST");
    expect((await call(alice, `/api/v1/statuses/${target.id}`)).body.visibility).toBe("private");
    const refused = await call(alice, `/api/v1/statuses/${target.id}/reblog`, "POST");
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain("cannot be boosted");
  });

  test("a tag timeline shows the camp's tagged posts", async () => {
    await post(bob, "about #gardening today");
    const tagged = (await call(alice, "/api/v1/timelines/tag/Gardening")).body;
    expect(tagged.map((s: { content: string }) => s.content).join()).toContain("gardening");
    expect(tagged[0].tags).toEqual([{ name: "gardening", url: `${camp.config.origin}/tags/gardening` }]);
  });
});

describe("lists", () => {
  test("a list of people one follows: made, filled, read as a timeline, private to its owner, deleted", async () => {
    await call(alice, `/api/v1/accounts/${bobId}/follow`, "POST");
    const made = await call(alice, "/api/v1/lists", "POST", { title: "Close friends", exclusive: false });
    expect(made.body).toMatchObject({ title: "Close friends", exclusive: false, replies_policy: "list" });
    const id = made.body.id as string;
    expect((await call(alice, `/api/v1/lists/${id}/accounts`, "POST", { account_ids: [String(bobId)] })).status).toBe(200);
    expect((await call(alice, `/api/v1/lists/${id}/accounts`)).body.map((a: { acct: string }) => a.acct)).toEqual(["bob"]);
    const bobs = await post(bob, "for the list readers", { visibility: "public" });
    const listed = await call(alice, `/api/v1/timelines/list/${id}`);
    expect(listed.body.map((s: { id: string }) => s.id)).toContain(bobs.id);
    expect((await call(alice, "/api/v1/lists")).body.map((l: { id: string }) => l.id)).toContain(id);
    expect((await call(bob, `/api/v1/timelines/list/${id}`)).status).toBe(404);
    expect((await call(bob, `/api/v1/lists/${id}`)).status).toBe(404);
    expect((await call(alice, `/api/v1/lists/${id}`, "PUT", { title: "Dear friends" })).body.title).toBe("Dear friends");
    expect((await call(alice, "/api/v1/lists", "POST", { title: "" })).status).toBe(422);
    expect((await call(alice, `/api/v1/lists/${id}`, "DELETE")).status).toBe(200);
    expect((await call(alice, `/api/v1/timelines/list/${id}`)).status).toBe(404);
  });
});

describe("notifications, markers, filters, preferences", () => {
  test("types filter the list; dismiss and clear remove them", async () => {
    await post(bob, "hey @alice");
    const all = (await call(alice, "/api/v1/notifications")).body as { id: string; type: string }[];
    expect(all.map((n) => n.type)).toContain("mention");
    const onlyMentions = (await call(alice, "/api/v1/notifications?types[]=mention")).body as { type: string }[];
    expect(new Set(onlyMentions.map((n) => n.type))).toEqual(new Set(["mention"]));
    const first = all[0]!;
    expect((await call(alice, `/api/v1/notifications/${first.id}`)).body.id).toBe(first.id);
    expect((await call(alice, `/api/v1/notifications/${first.id}/dismiss`, "POST")).status).toBe(200);
    expect((await call(alice, `/api/v1/notifications/${first.id}`)).status).toBe(404);
    expect((await call(bob, `/api/v1/notifications/${all[1]!.id}/dismiss`, "POST")).status).toBe(404);
    await call(alice, "/api/v1/notifications/clear", "POST");
    expect((await call(alice, "/api/v1/notifications")).body).toEqual([]);
  });

  test("markers remember where the member stopped, and the notifications marker marks them read", async () => {
    await post(bob, "again @alice");
    const [latest] = (await call(alice, "/api/v1/notifications")).body as { id: string }[];
    const set = await call(alice, "/api/v1/markers", "POST", { home: { last_read_id: "5" }, notifications: { last_read_id: latest!.id } });
    expect(set.body.home).toMatchObject({ last_read_id: "5", version: 1 });
    await call(alice, "/api/v1/markers", "POST", { home: { last_read_id: "7" } });
    const read = (await call(alice, "/api/v1/markers?timeline[]=home&timeline[]=notifications")).body;
    expect(read.home).toMatchObject({ last_read_id: "7", version: 2 });
    expect(read.notifications.last_read_id).toBe(latest!.id);
    const unread = await camp.db.selectFrom("notifications").select("id").where("recipient_id", "=", aliceId).where("read_at", "is", null).execute();
    expect(unread).toEqual([]);
  });

  test("filters v2 are the member's muted words: added, listed, applied as warn, removed", async () => {
    const added = await call(alice, "/api/v2/filters", "POST", { title: "spoilers", filter_action: "warn", context: ["home"], keywords_attributes: [{ keyword: "spoiler" }] });
    expect(added.body).toMatchObject({ title: "spoiler", filter_action: "warn", keywords: [{ keyword: "spoiler" }] });
    const words = await camp.db.selectFrom("muted_words").select(["word", "action"]).where("account_id", "=", aliceId).execute();
    expect(words).toEqual([{ word: "spoiler", action: "collapse" }]);
    await post(bob, "a spoiler about the film");
    const campStream = (await call(alice, "/api/v1/timelines/public?local=true")).body;
    const filtered = campStream.find((s: { content: string }) => s.content.includes("spoiler"));
    expect(filtered.filtered[0].keyword_matches).toEqual(["spoiler"]);
    expect((await call(alice, "/api/v2/filters")).body.map((f: { id: string }) => f.id)).toEqual([added.body.id]);
    expect((await call(alice, "/api/v1/filters")).body).toEqual([expect.objectContaining({ id: added.body.id, phrase: "spoiler", irreversible: false })]);
    expect((await call(alice, `/api/v2/filters/${added.body.id}`, "DELETE")).status).toBe(200);
    expect((await call(alice, "/api/v2/filters")).body).toEqual([]);
  });

  test("preferences say the default is camp-only (private with local_only)", async () => {
    expect((await call(alice, "/api/v1/preferences")).body["posting:default:visibility"]).toBe("private");
    expect((await call(alice, "/api/v1/custom_emojis")).body).toEqual([]);
  });
});
