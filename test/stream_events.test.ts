/**
 * Every change to posts, likes and follows records its domain event in the same transaction (the
 * federation module's input), camp-only ones included; and mentions, tags and remote mentions are
 * stored as the federation module expects.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { postAs } from "./support/posts.ts";
import { likePost, unlikePost } from "../src/domain/posts/likes.ts";
import { boostPost, unboostPost } from "../src/domain/posts/boost.ts";
import { editPost } from "../src/domain/posts/edit.ts";
import { deletePost } from "../src/domain/posts/delete.ts";
import { follow, unfollow } from "../src/domain/follows/follow.ts";
import { pendingRemoteMentions, resolveRemoteMentions } from "../src/domain/posts/remoteMentions.ts";
import { EVENT_JOB } from "../src/jobs/events.ts";
import { Refusal } from "../src/domain/errors.ts";

let camp: TestCamp;
let ann = 0;
let bob = 0;

beforeAll(async () => {
  camp = await testCamp();
  ann = await camp.addMember("ann");
  bob = await camp.addMember("bob");
});
afterAll(() => camp.close());

/** The events recorded by `act`, in order. */
async function eventsOf(act: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const last = await camp.db.selectFrom("jobs").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst();
  await act();
  const rows = await camp.db.selectFrom("jobs").select(["payload"]).where("kind", "=", EVENT_JOB)
    .where("id", ">", Number(last?.id ?? 0)).orderBy("id").execute();
  return rows.map((r) => JSON.parse(r.payload));
}

const place = () => ({ mediaDir: camp.config.mediaDir, domain: camp.config.domain });

describe("events", () => {
  test("post, edit, delete: post.created, post.updated, post.deleted (camp-only posts too)", async () => {
    let id = 0;
    expect(await eventsOf(async () => { id = await postAs(camp, ann, { source: "hello", audience: "camp" }); })).toEqual([{ type: "post.created", postId: expect.any(Number) }]);
    expect(await eventsOf(() => editPost(camp.db, place(), ann, id, { source: "hello again", contentWarning: "", audience: "camp", confirmWiden: false })))
      .toEqual([{ type: "post.updated", postId: id }]);
    expect(await eventsOf(() => deletePost(camp.db, ann, id))).toEqual([{ type: "post.deleted", postId: id }]);
    const row = await camp.db.selectFrom("posts").select("deleted_at").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.deleted_at).not.toBeNull();
  });

  test("boost and un-boost: post.created and post.deleted of the boost row", async () => {
    const id = await postAs(camp, ann, { source: "share me", audience: "public" });
    const created = await eventsOf(() => boostPost(camp.db, bob, id));
    const boost = await camp.db.selectFrom("posts").select(["id", "audience"]).where("boost_of_id", "=", id).executeTakeFirstOrThrow();
    expect(created).toEqual([{ type: "post.created", postId: boost.id }]);
    expect(boost.audience).toBe("public");
    expect(await eventsOf(() => unboostPost(camp.db, bob, id))).toEqual([{ type: "post.deleted", postId: boost.id }]);
    // Boosting again after undoing is allowed: the one-boost rule counts live boosts only.
    await boostPost(camp.db, bob, id);
  });

  test("like and unlike: like.created with the like's id, like.deleted with its uri", async () => {
    const id = await postAs(camp, ann, { source: "like me" });
    const created = await eventsOf(() => likePost(camp.db, bob, id));
    const like = await camp.db.selectFrom("likes").select("id").where("post_id", "=", id).executeTakeFirstOrThrow();
    expect(created).toEqual([{ type: "like.created", likeId: like.id }]);
    expect(await eventsOf(() => unlikePost(camp.db, bob, id))).toEqual([{ type: "like.deleted", accountId: bob, postId: id, likeUri: null }]);
  });

  test("follow and unfollow: follow.created and follow.deleted", async () => {
    const created = await eventsOf(() => follow(camp.db, bob, ann));
    const row = await camp.db.selectFrom("follows").select(["id", "state"]).where("follower_id", "=", bob).executeTakeFirstOrThrow();
    expect(created).toEqual([{ type: "follow.created", followId: row.id }]);
    expect(row.state).toBe("accepted");
    expect(await eventsOf(() => unfollow(camp.db, bob, ann))).toEqual([{ type: "follow.deleted", followerId: bob, followeeId: ann, followUri: null }]);
  });

  test("a refused action records no event", async () => {
    const id = await postAs(camp, ann, { source: "once" });
    await likePost(camp.db, bob, id);
    expect(await eventsOf(() => likePost(camp.db, bob, id).catch((e) => { if (!(e instanceof Refusal)) throw e; }))).toEqual([]);
  });
});

describe("a remote account", () => {
  test("following it is pending until its server accepts", async () => {
    const remote = await camp.db.insertInto("accounts").values({ handle: "zoe", domain: "remote.example", uri: "https://remote.example/users/zoe", url: "https://remote.example/@zoe", created_at: Date.now() })
      .returning("id").executeTakeFirstOrThrow();
    expect(await follow(camp.db, ann, remote.id)).toBe("pending");
  });

  test("@user@domain: known accounts are mentioned and linked at once, unknown ones wait for federation", async () => {
    const id = await postAs(camp, ann, { source: "hi @zoe@remote.example and @yan@far.example", audience: "public" });
    const post = await camp.db.selectFrom("posts").select("html").where("id", "=", id).executeTakeFirstOrThrow();
    expect(post.html).toContain('href="https://remote.example/@zoe"');
    expect(post.html).not.toContain("far.example/");
    expect(await pendingRemoteMentions(camp.db, id)).toEqual(["yan@far.example"]);

    const yan = await camp.db.insertInto("accounts").values({ handle: "yan", domain: "far.example", uri: "https://far.example/u/yan", url: "https://far.example/@yan", created_at: Date.now() })
      .returning("id").executeTakeFirstOrThrow();
    await resolveRemoteMentions(camp.db, id, camp.config.domain);
    expect(await pendingRemoteMentions(camp.db, id)).toEqual([]);
    const mentioned = await camp.db.selectFrom("mentions").select("account_id").where("post_id", "=", id).execute();
    expect(mentioned.map((m) => m.account_id)).toContain(yan.id);
    const relinked = await camp.db.selectFrom("posts").select("html").where("id", "=", id).executeTakeFirstOrThrow();
    expect(relinked.html).toContain('href="https://far.example/@yan"');
  });

  test("tags are stored in lower case and code spans are not tags or mentions", async () => {
    const id = await postAs(camp, ann, { source: "#Garden day with @bob `#notatag @nobody`" });
    const tags = await camp.db.selectFrom("post_tags").select("tag").where("post_id", "=", id).execute();
    expect(tags).toEqual([{ tag: "garden" }]);
    const mentions = await camp.db.selectFrom("mentions").select("account_id").where("post_id", "=", id).execute();
    expect(mentions).toEqual([{ account_id: bob }]);
  });
});
