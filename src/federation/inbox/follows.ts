/** Follow, Accept and Reject: remote actors following members, and answers to members' follow requests. */
import { endFollow, followAccepted, remoteFollow } from "../../domain/remote/interactions.ts";
import { enqueue } from "../../jobs/queue.ts";
import { BACKFILL_JOB } from "../backfill.ts";
import { sendAccept, sendReject } from "../outbound/socialEvents.ts";
import { idOf, isObject, text } from "../vocab/read.ts";
import { type InboxContext, InboxRefusal } from "./context.ts";
import { memberByUri } from "./local.ts";

export async function onFollow(ctx: InboxContext): Promise<void> {
  const { deps, activity } = ctx;
  const id = text(activity.id);
  if (!id) throw new InboxRefusal(400, "a Follow needs an id to be accepted");
  const member = await memberByUri(deps.db, deps.config.origin, idOf(activity.object));
  if (!member) throw new InboxRefusal(422, "the Follow's object is not a member here");
  const follow = await remoteFollow(deps.db, ctx.actorId, member.id, id);
  if (!follow) return sendReject(deps, ctx.actorId, member.id, id);
  if (follow.state === "accepted") await sendAccept(deps, follow.id);
}

/** The follow of ours that an Accept or Reject answers: by the Follow's id, or by who follows whom. */
async function answeredFollow(ctx: InboxContext) {
  const object = ctx.activity.object;
  const followId = idOf(object);
  const byId = followId
    ? await ctx.deps.db.selectFrom("follows").select(["follower_id"]).where("uri", "=", followId).where("followee_id", "=", ctx.actorId).executeTakeFirst()
    : undefined;
  if (byId) return byId.follower_id;
  if (!isObject(object)) return null;
  const member = await memberByUri(ctx.deps.db, ctx.deps.config.origin, idOf(object.actor));
  return member && idOf(object.object) === ctx.actorUri ? member.id : null;
}

export async function onAccept(ctx: InboxContext): Promise<void> {
  const followerId = await answeredFollow(ctx);
  if (followerId === null) return;
  // The account's recent posts are fetched once, so the new follower's Home shows them at once.
  if (await followAccepted(ctx.deps.db, followerId, ctx.actorId)) {
    await enqueue(ctx.deps.db, BACKFILL_JOB, { accountId: ctx.actorId }, { dedupeKey: `backfill ${ctx.actorId}` });
  }
}

export async function onReject(ctx: InboxContext): Promise<void> {
  const followerId = await answeredFollow(ctx);
  if (followerId === null) return;
  await endFollow(ctx.deps.db, followerId, ctx.actorId);
}
