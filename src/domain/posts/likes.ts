/** Liking a post and taking the like back, each with its event and notification in one transaction. */
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { notify, withdrawNotification } from "../notifications/notify.ts";
import { recordEvent } from "../../jobs/events.ts";
import { reactionTarget } from "./reactionTarget.ts";

/** Likes a visible post; returns the liked (original) post's id. Liking twice is refused. */
export async function likePost(db: Db, accountId: number, postId: number): Promise<number> {
  const post = await reactionTarget(db, accountId, postId);
  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("likes").select("id").where("account_id", "=", accountId).where("post_id", "=", post.id).executeTakeFirst();
    if (existing) refuse("conflict", "You already like this post.");
    const like = await trx.insertInto("likes").values({ account_id: accountId, post_id: post.id, created_at: now() })
      .returning("id").executeTakeFirstOrThrow();
    await notify(trx, { recipientId: post.author_id, kind: "like", actorId: accountId, postId: post.id });
    await recordEvent(trx, { type: "like.created", likeId: like.id });
  });
  return post.id;
}

/** Takes a like back; returns the post's id. */
export async function unlikePost(db: Db, accountId: number, postId: number): Promise<number> {
  const post = await reactionTarget(db, accountId, postId);
  const like = await db.selectFrom("likes").select(["id", "uri"]).where("account_id", "=", accountId).where("post_id", "=", post.id).executeTakeFirst();
  if (!like) return refuse("conflict", "You have not liked this post.");
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("likes").where("id", "=", like.id).execute();
    await withdrawNotification(trx, { recipientId: post.author_id, kind: "like", actorId: accountId, postId: post.id });
    await recordEvent(trx, { type: "like.deleted", accountId, postId: post.id, likeUri: like.uri });
  });
  return post.id;
}
