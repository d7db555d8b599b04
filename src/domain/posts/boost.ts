/**
 * Boosting shares a post into the booster's followers' Home. A boost is a post row with
 * boost_of_id, one per author while it lives; its audience comes from the gate's audienceForBoost.
 */
import type { Kysely } from "kysely";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import { audienceForBoost } from "../audience.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { notify, withdrawNotification } from "../notifications/notify.ts";
import { recordEvent } from "../../jobs/events.ts";
import { reactionTarget } from "./reactionTarget.ts";

/** The account's live boost of the post (its own row, with its id), if any. */
export function activeBoost(db: Kysely<Database>, accountId: number, postId: number) {
  return db.selectFrom("posts").select("id")
    .where("author_id", "=", accountId).where("boost_of_id", "=", postId).where("deleted_at", "is", null)
    .executeTakeFirst();
}

/** Boosts a visible post; returns the boosted (original) post's id. */
export async function boostPost(db: Db, accountId: number, postId: number): Promise<number> {
  const original = await reactionTarget(db, accountId, postId);
  const audience = audienceForBoost(original);
  if (!audience) return refuse("forbidden", "Followers-only and direct posts cannot be boosted; they stay with the people they were meant for.");
  await db.transaction().execute(async (trx) => {
    if (await activeBoost(trx, accountId, original.id)) refuse("conflict", "You already boosted this post.");
    const boost = await trx.insertInto("posts")
      .values({ author_id: accountId, audience, boost_of_id: original.id, created_at: now() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await notify(trx, { recipientId: original.author_id, kind: "boost", actorId: accountId, postId: original.id });
    await recordEvent(trx, { type: "post.created", postId: boost.id });
  });
  return original.id;
}

/** Takes a boost back (a soft delete of the boost row, recorded as post.deleted); returns the original's id. */
export async function unboostPost(db: Db, accountId: number, postId: number): Promise<number> {
  const original = await reactionTarget(db, accountId, postId);
  const boost = await activeBoost(db, accountId, original.id);
  if (!boost) return refuse("conflict", "You have not boosted this post.");
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("posts").set({ deleted_at: now() }).where("id", "=", boost.id).execute();
    await withdrawNotification(trx, { recipientId: original.author_id, kind: "boost", actorId: accountId, postId: original.id });
    await recordEvent(trx, { type: "post.deleted", postId: boost.id });
  });
  return original.id;
}
