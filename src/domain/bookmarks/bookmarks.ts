/**
 * Bookmarks: a member keeps a post for later. Private to the member (no notification, no event,
 * nothing federates). Saving a boost saves the boosted post. The Saved page is in savedStream.ts.
 */
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { reactionTarget } from "../posts/reactionTarget.ts";

/** Saves a post the member may see; saving it again changes nothing. Returns the saved post's id. */
export async function bookmarkPost(db: Db, accountId: number, postId: number): Promise<number> {
  const post = await reactionTarget(db, accountId, postId);
  await db.insertInto("bookmarks").values({ account_id: accountId, post_id: post.id, created_at: now() })
    .onConflict((oc) => oc.columns(["account_id", "post_id"]).doNothing()).execute();
  return post.id;
}

/** Takes a post off the member's saved list, even one they can no longer see. Returns the post's id. */
export async function unbookmarkPost(db: Db, accountId: number, postId: number): Promise<number> {
  const row = await db.selectFrom("posts").select(["id", "boost_of_id"]).where("id", "=", postId).executeTakeFirst();
  const target = row?.boost_of_id ?? row?.id ?? postId;
  await db.deleteFrom("bookmarks").where("account_id", "=", accountId).where("post_id", "=", target).execute();
  return target;
}

/** Which of these posts the member has saved. */
export async function bookmarkedAmong(db: Db, accountId: number, postIds: number[]): Promise<Set<number>> {
  if (postIds.length === 0) return new Set();
  const rows = await savedAmong(db, {}, { accountId, postIds });
  return new Set(rows.map((r) => r.post_id));
}

/** Asked for every page of posts a member reads: built once per page length (see compiledOnce). */
const savedAmong = compiledOnce((db: Db, _shape: object, v: { accountId: number; postIds: number[] }) => db.selectFrom("bookmarks")
  .select("post_id").where("account_id", "=", v.accountId).where("post_id", "in", v.postIds));
