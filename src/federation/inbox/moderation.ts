/** Block and Flag from other servers, and Undo of what a remote actor did before. */
import { endFollow, remoteBlock, remoteReport, remoteUnblock, remoteUnboost, remoteUnlike } from "../../domain/remote/interactions.ts";
import { localActorHandle } from "../urls.ts";
import { idOf, idsOf, isObject, text, typeOf } from "../vocab/read.ts";
import { type InboxContext, InboxRefusal } from "./context.ts";
import { memberByUri, postById } from "./local.ts";

export async function onBlock(ctx: InboxContext): Promise<void> {
  const member = await memberByUri(ctx.deps.db, ctx.deps.config.origin, idOf(ctx.activity.object));
  if (!member) return;
  await remoteBlock(ctx.deps.db, ctx.actorId, member.id, text(ctx.activity.id) ?? "");
}

/** A report from another server: the members and posts it names land in the operator's queue. */
export async function onFlag(ctx: InboxContext): Promise<void> {
  const { db, config } = ctx.deps;
  const id = text(ctx.activity.id);
  if (!id) throw new InboxRefusal(400, "a Flag needs an id");
  let targetId: number | null = null;
  const postIds: number[] = [];
  for (const uri of idsOf(ctx.activity.object)) {
    if (localActorHandle(config.origin, uri)) {
      targetId ??= (await memberByUri(db, config.origin, uri))?.id ?? null;
      continue;
    }
    const post = await postById(db, config.origin, uri);
    if (!post) continue;
    postIds.push(post.id);
    targetId ??= post.author_id;
  }
  if (targetId === null && !postIds.length) return;
  await remoteReport(db, { reporterId: ctx.actorId, targetId, postIds, comment: text(ctx.activity.content) ?? "", uri: id });
}

/** Undo of a Follow, Like, Announce or Block, always limited to what this actor did. */
export async function onUndo(ctx: InboxContext): Promise<void> {
  const { db, config } = ctx.deps;
  const object = ctx.activity.object;
  const id = idOf(object);
  if (!id) throw new InboxRefusal(400, "the Undo has no object");
  if (isObject(object) && idOf(object.actor) !== null && idOf(object.actor) !== ctx.actorUri) {
    throw new InboxRefusal(403, "an actor may only undo its own activities");
  }
  const type = isObject(object) ? typeOf(object) : await typeOfOwnActivity(ctx, id);
  const target = isObject(object) ? idOf(object.object) : null;
  switch (type) {
    case "Follow": {
      const member = target ? await memberByUri(db, config.origin, target) : undefined;
      const follow = member ? { followee_id: member.id } : await db.selectFrom("follows").select("followee_id").where("uri", "=", id).where("follower_id", "=", ctx.actorId).executeTakeFirst();
      if (follow) await endFollow(db, ctx.actorId, follow.followee_id);
      return;
    }
    case "Like":
      return remoteUnlike(db, ctx.actorId, id, (await postById(db, config.origin, target))?.id ?? null);
    case "Announce":
      return remoteUnboost(db, ctx.actorId, id);
    case "Block": {
      const member = target ? await memberByUri(db, config.origin, target) : undefined;
      const block = member ? { target_id: member.id } : await db.selectFrom("blocks").select("target_id").where("uri", "=", id).where("account_id", "=", ctx.actorId).executeTakeFirst();
      if (block) await remoteUnblock(db, ctx.actorId, block.target_id);
      return;
    }
  }
}

/** When an Undo names its object only by id, find what of this actor's that id was. */
async function typeOfOwnActivity(ctx: InboxContext, id: string): Promise<string> {
  const { db } = ctx.deps;
  if (await db.selectFrom("follows").select("id").where("uri", "=", id).where("follower_id", "=", ctx.actorId).executeTakeFirst()) return "Follow";
  if (await db.selectFrom("likes").select("id").where("uri", "=", id).where("account_id", "=", ctx.actorId).executeTakeFirst()) return "Like";
  if (await db.selectFrom("posts").select("id").where("uri", "=", id).where("author_id", "=", ctx.actorId).where("boost_of_id", "is not", null).executeTakeFirst()) return "Announce";
  if (await db.selectFrom("blocks").select("target_id").where("uri", "=", id).where("account_id", "=", ctx.actorId).executeTakeFirst()) return "Block";
  return "";
}
