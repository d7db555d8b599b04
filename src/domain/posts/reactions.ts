/**
 * Reactions seen from the other side: the posts a member liked (newest like first, paged by the
 * like's id), and who liked or boosted a post. Posts still go through the gate when presented.
 */
import type { Db } from "../../db/open.ts";

/** The member's likes, newest first, older than `before` (a like id): one more than `limit`, to know if there is more. */
export async function likedPosts(db: Db, memberId: number, before: number | null, limit: number): Promise<{ likeId: number; postId: number }[]> {
  let query = db.selectFrom("likes").select(["id", "post_id"]).where("account_id", "=", memberId);
  if (before !== null) query = query.where("id", "<", before);
  const rows = await query.orderBy("id", "desc").limit(limit + 1).execute();
  return rows.map((r) => ({ likeId: r.id, postId: r.post_id }));
}

/** Who liked the post, newest first. */
export async function likersOf(db: Db, postId: number, limit: number): Promise<number[]> {
  const rows = await db.selectFrom("likes").select("account_id").where("post_id", "=", postId).orderBy("id", "desc").limit(limit).execute();
  return rows.map((r) => r.account_id);
}

/** Who boosted the post (and has not taken it back), newest first. */
export async function boostersOf(db: Db, postId: number, limit: number): Promise<number[]> {
  const rows = await db.selectFrom("posts").select("author_id").where("boost_of_id", "=", postId).where("deleted_at", "is", null)
    .orderBy("id", "desc").limit(limit).execute();
  return rows.map((r) => r.author_id);
}
