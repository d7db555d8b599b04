/**
 * What remote actors do to our content and members: like, boost, follow, block, report.
 * Each writes the same rows a member's action would, so pages and streams need no second path.
 * Replays are harmless: every function is idempotent.
 */
import type { Db } from "../../db/open.ts";
import type { Audience } from "../../db/schema.ts";
import { now } from "../clock.ts";
import { notify } from "../notifications/notify.ts";

/** A remote like; returns false when it was already recorded. */
export async function remoteLike(db: Db, accountId: number, postId: number, uri: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto("likes").values({ account_id: accountId, post_id: postId, uri, created_at: now() })
      .onConflict((oc) => oc.doNothing()).executeTakeFirst();
    if (!inserted.numInsertedOrUpdatedRows) return false;
    const post = await trx.selectFrom("posts").innerJoin("accounts", "accounts.id", "posts.author_id")
      .select(["posts.author_id", "accounts.domain"]).where("posts.id", "=", postId).executeTakeFirstOrThrow();
    if (post.domain === null) await notify(trx, { recipientId: post.author_id, kind: "like", actorId: accountId, postId });
    return true;
  });
}

/** Undo of a like, found by its id or, failing that, by who liked what. */
export async function remoteUnlike(db: Db, accountId: number, likeUri: string, postId: number | null): Promise<void> {
  await db.deleteFrom("likes").where("account_id", "=", accountId)
    .where((eb) => (postId === null ? eb("uri", "=", likeUri) : eb.or([eb("uri", "=", likeUri), eb("post_id", "=", postId)])))
    .execute();
}

/** A remote boost, stored as a post with boost_of_id like a member's boost. */
export async function remoteBoost(db: Db, accountId: number, postId: number, uri: string, audience: Audience, at: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("posts").select("id").where((eb) => eb.or([
      eb("uri", "=", uri),
      eb.and([eb("author_id", "=", accountId), eb("boost_of_id", "=", postId), eb("deleted_at", "is", null)]),
    ])).executeTakeFirst();
    if (existing) return;
    await trx.insertInto("posts").values({ author_id: accountId, audience, uri, boost_of_id: postId, created_at: at }).execute();
    const post = await trx.selectFrom("posts").innerJoin("accounts", "accounts.id", "posts.author_id")
      .select(["posts.author_id", "accounts.domain"]).where("posts.id", "=", postId).executeTakeFirstOrThrow();
    if (post.domain === null) await notify(trx, { recipientId: post.author_id, kind: "boost", actorId: accountId, postId });
  });
}

/** Undo of a boost: the boost row of this actor with this id (or of this post) is deleted. */
export async function remoteUnboost(db: Db, accountId: number, announceUri: string): Promise<void> {
  await db.updateTable("posts").set({ deleted_at: now() })
    .where("author_id", "=", accountId).where("uri", "=", announceUri).where("boost_of_id", "is not", null).execute();
}

/**
 * A remote actor asks to follow a member: accepted at once unless the member locked their
 * account. Returns the follow's state, or null when the member blocks that actor.
 */
export async function remoteFollow(db: Db, followerId: number, followeeId: number, uri: string): Promise<{ id: number; state: "pending" | "accepted" } | null> {
  return db.transaction().execute(async (trx) => {
    const blocked = await trx.selectFrom("blocks").select("target_id").where("account_id", "=", followeeId).where("target_id", "=", followerId).executeTakeFirst();
    if (blocked) return null;
    const existing = await trx.selectFrom("follows").select(["id", "state"]).where("follower_id", "=", followerId).where("followee_id", "=", followeeId).executeTakeFirst();
    if (existing) {
      await trx.updateTable("follows").set({ uri }).where("id", "=", existing.id).execute();
      return existing;
    }
    const followee = await trx.selectFrom("accounts").select("locked").where("id", "=", followeeId).executeTakeFirstOrThrow();
    const state = followee.locked ? "pending" : "accepted";
    const row = await trx.insertInto("follows").values({ follower_id: followerId, followee_id: followeeId, state, uri, created_at: now() }).returning("id").executeTakeFirstOrThrow();
    await notify(trx, { recipientId: followeeId, kind: state === "pending" ? "follow_request" : "follow", actorId: followerId, postId: null });
    return { id: row.id, state };
  });
}

/** The follow between two accounts ends (Undo Follow from the follower, or Reject from the followee). */
export async function endFollow(db: Db, followerId: number, followeeId: number): Promise<void> {
  await db.deleteFrom("follows").where("follower_id", "=", followerId).where("followee_id", "=", followeeId).execute();
}

/** The remote actor accepted a member's follow request. */
export async function followAccepted(db: Db, followerId: number, followeeId: number): Promise<boolean> {
  const result = await db.updateTable("follows").set({ state: "accepted" })
    .where("follower_id", "=", followerId).where("followee_id", "=", followeeId).where("state", "=", "pending").executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A remote actor blocks a member: record it, and end follows both ways as Mastodon does. */
export async function remoteBlock(db: Db, accountId: number, targetId: number, uri: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("blocks").values({ account_id: accountId, target_id: targetId, uri, created_at: now() }).onConflict((oc) => oc.doNothing()).execute();
    await trx.deleteFrom("follows").where((eb) => eb.or([
      eb.and([eb("follower_id", "=", accountId), eb("followee_id", "=", targetId)]),
      eb.and([eb("follower_id", "=", targetId), eb("followee_id", "=", accountId)]),
    ])).execute();
  });
}

export async function remoteUnblock(db: Db, accountId: number, targetId: number): Promise<void> {
  await db.deleteFrom("blocks").where("account_id", "=", accountId).where("target_id", "=", targetId).execute();
}

/** A Flag from another server lands in the operator's report queue once. */
export async function remoteReport(db: Db, input: { reporterId: number; targetId: number | null; postIds: number[]; comment: string; uri: string }): Promise<void> {
  await db.insertInto("reports").values({
    reporter_id: input.reporterId, target_id: input.targetId, post_ids: JSON.stringify(input.postIds),
    comment: input.comment.slice(0, 5000), uri: input.uri, created_at: now(),
  }).onConflict((oc) => oc.doNothing()).execute();
}
