/** The post a like, boost or reply is really about: a visible post, or the original behind a boost. */
import type { Db } from "../../db/open.ts";
import { refuse } from "../errors.ts";
import { findVisiblePost, viewerForAccount } from "./visibility.ts";

/** Refuses with "not found" when the post does not exist, was deleted or is not visible to the account. */
export async function reactionTarget(db: Db, accountId: number, postId: number, refusal = "That post was deleted or is not visible to you.", field?: string) {
  const viewer = await viewerForAccount(db, accountId);
  let post = await findVisiblePost(db, viewer, postId);
  if (post?.boost_of_id) post = await findVisiblePost(db, viewer, post.boost_of_id);
  if (!post) return refuse("not_found", refusal, field);
  return post;
}
