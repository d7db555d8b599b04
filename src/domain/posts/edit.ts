/**
 * Editing a post: the previous version goes to post_edits, mentions and tags follow the new text,
 * newly mentioned people are told, and post.updated is recorded, all in one transaction. An edit
 * never widens the audience silently: widening needs the author's explicit confirmation.
 */
import type { Db } from "../../db/open.ts";
import { audienceForReply, widens } from "../audience.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { notify } from "../notifications/notify.ts";
import { recordEvent } from "../../jobs/events.ts";
import { checkDirectHasRecipients, parseAudience, type PostPlace } from "./create.ts";
import { checkPostText } from "./limits.ts";
import { linkText, storeLinks } from "./links.ts";

export interface EditInput {
  source: string;
  contentWarning: string;
  audience: string;
  /** The author ticked "yes, show it to more people". */
  confirmWiden: boolean;
}

/** A live, original post of this author, or a refusal. */
export async function ownPost(db: Db, authorId: number, postId: number) {
  const post = await db.selectFrom("posts").selectAll().where("id", "=", postId).where("deleted_at", "is", null).executeTakeFirst();
  if (!post || post.boost_of_id !== null) return refuse("not_found", "That post does not exist or was deleted.");
  if (post.author_id !== authorId) return refuse("forbidden", "Only the author can change this post.");
  return post;
}

export async function editPost(db: Db, place: PostPlace, authorId: number, postId: number, input: EditInput): Promise<void> {
  const post = await ownPost(db, authorId, postId);
  const contentWarning = input.contentWarning.trim();
  const hasImages = !!(await db.selectFrom("media").select("id").where("post_id", "=", postId).executeTakeFirst());
  checkPostText({ source: input.source, contentWarning }, hasImages);
  let audience = parseAudience(input.audience);
  if (post.in_reply_to_id !== null) {
    const parent = await db.selectFrom("posts").select("audience").where("id", "=", post.in_reply_to_id).executeTakeFirst();
    if (parent) audience = audienceForReply(parent.audience, audience);
  }
  if (widens(post.audience, audience) && !input.confirmWiden) {
    refuse("invalid", `Changing who can see this post from "${post.audience}" to "${audience}" shows it to people who could not see it before. Tick "Yes, show it to more people" to confirm.`, "audience");
  }
  const linked = await linkText(db, input.source, place.domain);
  const parentAuthor = post.in_reply_to_id === null ? [] :
    (await db.selectFrom("posts").select("author_id").where("id", "=", post.in_reply_to_id).execute())
      .map((p) => p.author_id).filter((id) => id !== authorId);
  checkDirectHasRecipients(audience, linked.mentionedIds.length + parentAuthor.length, linked.pending.length);

  await db.transaction().execute(async (trx) => {
    await trx.insertInto("post_edits").values({
      post_id: postId, content_warning: post.content_warning, source: post.source, html: post.html,
      audience: post.audience, replaced_at: now(),
    }).execute();
    await trx.updateTable("posts")
      .set({ content_warning: contentWarning, source: input.source, html: linked.html, audience, edited_at: now() })
      .where("id", "=", postId)
      .execute();
    const newlyMentioned = await storeLinks(trx, postId, linked, parentAuthor);
    for (const id of newlyMentioned) await notify(trx, { recipientId: id, kind: "mention", actorId: authorId, postId });
    await recordEvent(trx, { type: "post.updated", postId });
  });
}

/** The earlier versions of a post, newest first, for its author and for anyone who may see it. */
export async function editHistory(db: Db, postId: number) {
  return db.selectFrom("post_edits").selectAll().where("post_id", "=", postId).orderBy("id", "desc").execute();
}
