/** Deleting a post is soft: the row stays with deleted_at set, so federation can still send the Delete. */
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { recordEvent } from "../../jobs/events.ts";
import { ownPost } from "./edit.ts";

/** Deletes the author's post and records post.deleted in the same transaction. */
export async function deletePost(db: Db, authorId: number, postId: number): Promise<void> {
  await ownPost(db, authorId, postId);
  await removePost(db, postId);
}

/** Soft-deletes any post (the author's own deletion, or a moderator's) and records post.deleted with it. */
export async function removePost(db: Db, postId: number): Promise<void> {
  const remove = async (trx: Db) => {
    await trx.updateTable("posts").set({ deleted_at: now() }).where("id", "=", postId).where("deleted_at", "is", null).execute();
    await recordEvent(trx, { type: "post.deleted", postId });
  };
  // A moderator's removal runs inside the transaction that also resolves the report.
  await (db.isTransaction ? remove(db) : db.transaction().execute(remove));
}
