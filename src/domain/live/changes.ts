/**
 * Posts edited or deleted lately, for telling readers of a stream (apps: Mastodon's `status.update`
 * and `delete` events). Read through the small partial index of changed posts (migration 014), so
 * asking every half second costs one index probe whatever the size of the camp.
 */
import { sql } from "kysely";
import type { Db } from "../../db/open.ts";
import { wasVisibleTo, type Viewer } from "../audience.ts";

export interface PostChange {
  postId: number;
  /** When it was edited or deleted (ms). */
  at: number;
  deleted: boolean;
}

/** The moment a post last changed: its deletion, else its last edit (the index's expression). */
const changedAt = sql<number | null>`coalesce(posts.deleted_at, posts.edited_at)`;

/** Every post edited or deleted at or after `since` (ms), oldest change first. */
export async function changesSince(db: Db, since: number): Promise<PostChange[]> {
  const rows = await db.selectFrom("posts")
    .select(["posts.id", "posts.deleted_at", changedAt.as("at")])
    .where(changedAt, "is not", null)
    .where(changedAt, ">=", since)
    .orderBy(changedAt)
    .execute();
  return rows.map((r) => ({ postId: r.id, at: Number(r.at), deleted: r.deleted_at !== null }));
}

/** Of these deleted posts, the ones the viewer could see before they went (so may hold and should drop). */
export async function deletedPostsSeenBy(db: Db, viewer: Viewer, ids: number[]): Promise<number[]> {
  if (viewer.kind === "anonymous" || ids.length === 0) return [];
  const rows = await db.selectFrom("posts")
    .innerJoin("accounts as authors", "authors.id", "posts.author_id")
    .select("posts.id")
    .where("posts.id", "in", ids)
    .where(wasVisibleTo(viewer))
    .orderBy("posts.id")
    .execute();
  return rows.map((r) => r.id);
}
