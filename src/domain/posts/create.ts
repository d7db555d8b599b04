/**
 * Writing a post or a reply: checked, its images stripped and stored, then the post, its mentions,
 * tags, attachments, notifications and the post.created event written in one transaction.
 */
import type { Db } from "../../db/open.ts";
import type { Kysely } from "kysely";
import type { Audience, Database } from "../../db/schema.ts";
import { audienceForReply, isAudience } from "../audience.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { checkAttachments, insertAttachments, type AttachmentUpload } from "../media/attachments.ts";
import { storeImageFiles } from "../media/store.ts";
import { checkUploads, claimUploads } from "../media/uploads.ts";
import { notify } from "../notifications/notify.ts";
import { recordEvent } from "../../jobs/events.ts";
import { checkPostText } from "./limits.ts";
import { linkText, storeLinks } from "./links.ts";
import { reactionTarget } from "./reactionTarget.ts";
import { checkPoll, type PollInput } from "../polls/rules.ts";
import { insertPoll } from "../polls/create.ts";

/** Where posts are written: the media folder and the camp's own domain (for `@handle@our.domain`). */
export interface PostPlace {
  mediaDir: string;
  domain: string;
}

export interface NewPostInput {
  source: string;
  contentWarning: string;
  audience: string;
  inReplyToId?: number | null;
  images?: AttachmentUpload[];
  /** Images uploaded before the post (the client API's media ids), attached after `images`. */
  mediaIds?: number[];
  poll?: PollInput | null;
}

/** Checks an audience chosen in a form. */
export function parseAudience(value: string): Audience {
  if (!isAudience(value)) refuse("invalid", "Choose who can see this post.", "audience");
  return value as Audience;
}

/** A direct post reaches only the people it mentions, so it needs at least one. */
export function checkDirectHasRecipients(audience: Audience, mentioned: number, pending: number): void {
  if (audience === "direct" && mentioned + pending === 0) {
    refuse("invalid", "A direct post is seen only by the people it mentions; mention someone with @handle.", "source");
  }
}

/** Another record that belongs with the new post, written in the post's own transaction. */
export type WithPost = (trx: Kysely<Database>, postId: number) => Promise<void>;

/** Creates the post and returns its id. Nothing is written when any check fails. */
export async function createPost(db: Db, place: PostPlace, authorId: number, input: NewPostInput, withPost?: WithPost): Promise<number> {
  const images = input.images ?? [];
  const mediaIds = input.mediaIds ?? [];
  const contentWarning = input.contentWarning.trim();
  checkPostText({ source: input.source, contentWarning }, images.length + mediaIds.length > 0);
  const poll = input.poll ? checkPoll(input.poll, now()) : null;
  let audience = parseAudience(input.audience);
  const parent = input.inReplyToId
    ? await reactionTarget(db, authorId, input.inReplyToId, "The post you are replying to was deleted or is not visible to you.", "source")
    : null;
  if (parent) audience = audienceForReply(parent.audience, audience);
  const attachments = checkAttachments(images);
  await checkUploads(db, authorId, mediaIds, attachments.length);
  const linked = await linkText(db, input.source, place.domain);
  const parentAuthor = parent && parent.author_id !== authorId ? [parent.author_id] : [];
  checkDirectHasRecipients(audience, linked.mentionedIds.length + parentAuthor.length, linked.pending.length);

  return storeImageFiles(place.mediaDir, attachments, (keys) =>
    db.transaction().execute(async (trx) => {
      const post = await trx
        .insertInto("posts")
        .values({
          author_id: authorId,
          audience,
          in_reply_to_id: parent?.id ?? null,
          in_reply_to_uri: parent?.uri ?? null,
          thread_root_id: parent ? (parent.thread_root_id ?? parent.id) : null,
          content_warning: contentWarning,
          source: input.source,
          html: linked.html,
          created_at: now(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      // The replied-to author is addressed too, so a followers-only or direct reply reaches them.
      const newlyMentioned = await storeLinks(trx, post.id, linked, parentAuthor);
      await insertAttachments(trx, authorId, post.id, attachments, keys);
      await claimUploads(trx, authorId, post.id, mediaIds, attachments.length);
      if (poll) await insertPoll(trx, post.id, poll);
      if (parent) await notify(trx, { recipientId: parent.author_id, kind: "reply", actorId: authorId, postId: post.id });
      for (const id of newlyMentioned) {
        if (id !== parent?.author_id) await notify(trx, { recipientId: id, kind: "mention", actorId: authorId, postId: post.id });
      }
      await withPost?.(trx, post.id);
      await recordEvent(trx, { type: "post.created", postId: post.id });
      return post.id;
    }),
  );
}
