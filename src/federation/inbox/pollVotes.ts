/**
 * Votes from other servers on this camp's polls arrive as Create(Note): a Note with a `name` (the
 * option's title), no content, in reply to the poll. They are counted, never stored as posts.
 */
import { recordRemoteVote } from "../../domain/polls/remote.ts";
import { idOf, type Json, plain, text, typeOf } from "../vocab/read.ts";
import type { InboxContext } from "./context.ts";
import { postById } from "./local.ts";

/** Handles the object as a vote when it is one on a poll of ours; true when it was (counted or not). */
export async function onPollVote(ctx: InboxContext, object: Json): Promise<boolean> {
  const name = text(object.name);
  const target = idOf(object.inReplyTo);
  const uri = idOf(object);
  if (typeOf(object) !== "Note" || !name || !target || !uri || plain(object.content, object.contentMap)) return false;
  const post = await postById(ctx.deps.db, ctx.deps.config.origin, target);
  if (!post || post.domain !== null) return false;
  const poll = await ctx.deps.db.selectFrom("polls").select("post_id").where("post_id", "=", post.id).executeTakeFirst();
  if (!poll) return false;
  const counted = await recordRemoteVote(ctx.deps.db, post.id, ctx.actorId, name, uri);
  ctx.deps.log.info("federation: poll vote", { postId: post.id, counted });
  return true;
}
