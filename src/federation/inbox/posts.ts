/**
 * Create, Update and Delete of remote posts (and Update/Delete of actors). The origin rule holds
 * throughout: an actor creates, edits and deletes only its own objects on its own server.
 */
import { sql } from "kysely";
import { deleteRemoteActor } from "../../domain/remote/actors.ts";
import { deleteRemotePost, postByUri, storeRemotePost, updateRemotePost } from "../../domain/remote/posts.ts";
import { fetchDocument, storeActorDocument } from "../fetchRemote.ts";
import { parsePost, POST_TYPES } from "../vocab/parseNote.ts";
import { hasType, idOf, isObject, type Json, typeOf } from "../vocab/read.ts";
import { assertSameOrigin, type InboxContext, InboxRefusal } from "./context.ts";
import { postById } from "./local.ts";
import { onPollVote } from "./pollVotes.ts";

/** The activity's object, fetched when only its id was sent. */
async function objectOf(ctx: InboxContext): Promise<Json> {
  const object = ctx.activity.object;
  if (isObject(object)) return object;
  const id = idOf(object);
  if (!id) throw new InboxRefusal(400, "the activity has no object");
  assertSameOrigin(ctx, id);
  return fetchDocument(ctx.deps, id);
}

async function author(ctx: InboxContext) {
  return ctx.deps.db.selectFrom("accounts").select(["id", "followers_uri"]).where("id", "=", ctx.actorId).executeTakeFirstOrThrow();
}

export async function onCreate(ctx: InboxContext): Promise<void> {
  const object = await objectOf(ctx);
  if (!POST_TYPES.includes(typeOf(object))) return;
  assertSameOrigin(ctx, idOf(object));
  if (idOf(object.attributedTo) !== ctx.actorUri) throw new InboxRefusal(403, "the post is attributed to someone else than the actor");
  if (await onPollVote(ctx, object)) return;
  const post = await parsePost(ctx.deps.db, ctx.deps.config.origin, object, await author(ctx));
  if (!post) throw new InboxRefusal(422, "the post could not be read");
  if (!(await concernsTheCamp(ctx, post.mentionIds, post.inReplyToId))) {
    ctx.deps.log.debug("federation: post not for anyone here", { uri: post.uri });
    return;
  }
  await storeRemotePost(ctx.deps.db, post);
}

/** We keep a remote post when a member follows its author, it mentions a member, or it replies to a post we have. */
async function concernsTheCamp(ctx: InboxContext, mentionIds: number[], inReplyToId: number | null): Promise<boolean> {
  const { db } = ctx.deps;
  const followed = await db.selectFrom("follows").innerJoin("accounts", "accounts.id", "follows.follower_id").select(sql<number>`1`.as("one"))
    .where("follows.followee_id", "=", ctx.actorId).where("accounts.domain", "is", null).limit(1).executeTakeFirst();
  if (followed) return true;
  if (mentionIds.length) {
    const local = await db.selectFrom("accounts").select("id").where("id", "in", mentionIds).where("domain", "is", null).limit(1).executeTakeFirst();
    if (local) return true;
  }
  return inReplyToId !== null;
}

export async function onUpdate(ctx: InboxContext): Promise<void> {
  const object = await objectOf(ctx);
  const id = assertSameOrigin(ctx, idOf(object));
  if (hasType(object, "Person", "Service", "Application", "Group", "Organization")) {
    if (id !== ctx.actorUri) throw new InboxRefusal(403, "an actor may only update itself");
    await storeActorDocument(ctx.deps, object);
    return;
  }
  if (!POST_TYPES.includes(typeOf(object))) return;
  const existing = await postByUri(ctx.deps.db, id);
  if (!existing) return;
  if (existing.author_id !== ctx.actorId) throw new InboxRefusal(403, "only the author may update a post");
  const post = await parsePost(ctx.deps.db, ctx.deps.config.origin, object, await author(ctx));
  if (post) await updateRemotePost(ctx.deps.db, existing.id, post);
}

export async function onDelete(ctx: InboxContext): Promise<void> {
  const id = idOf(ctx.activity.object);
  if (!id) throw new InboxRefusal(400, "the Delete has no object");
  if (id === ctx.actorUri) {
    await deleteRemoteActor(ctx.deps.db, ctx.actorId);
    return;
  }
  const existing = await postById(ctx.deps.db, ctx.deps.config.origin, id);
  if (!existing) return;
  if (existing.author_id !== ctx.actorId) throw new InboxRefusal(403, "only the author may delete a post");
  await deleteRemotePost(ctx.deps.db, existing.id);
}
