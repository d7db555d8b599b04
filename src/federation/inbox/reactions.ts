/**
 * Like and Announce from remote actors. They only count on posts the gate lets out: a like or
 * boost naming a camp-only post is ignored, as if the post did not exist.
 */
import { audienceForBoost, mayLeaveServer, mayListPublicly } from "../../domain/audience.ts";
import { remoteBoost, remoteLike } from "../../domain/remote/interactions.ts";
import { storeRemotePost } from "../../domain/remote/posts.ts";
import { fetchDocument, resolveActor } from "../fetchRemote.ts";
import { hostOf } from "../urls.ts";
import { audienceOf, parsePost, POST_TYPES } from "../vocab/parseNote.ts";
import { idOf, text, typeOf } from "../vocab/read.ts";
import { type InboxContext, InboxRefusal } from "./context.ts";
import { postById } from "./local.ts";

/** A post we have that may be acted on from outside, or undefined. */
async function federatablePost(ctx: InboxContext, uri: string | null) {
  const post = await postById(ctx.deps.db, ctx.deps.config.origin, uri);
  return post && post.deleted_at === null && post.boost_of_id === null && mayLeaveServer(post, post) ? post : undefined;
}

export async function onLike(ctx: InboxContext): Promise<void> {
  const id = text(ctx.activity.id);
  if (!id) throw new InboxRefusal(400, "a Like needs an id");
  const post = await federatablePost(ctx, idOf(ctx.activity.object));
  if (!post) return;
  await remoteLike(ctx.deps.db, ctx.actorId, post.id, id);
}

export async function onAnnounce(ctx: InboxContext): Promise<void> {
  const id = text(ctx.activity.id);
  if (!id) throw new InboxRefusal(400, "an Announce needs an id");
  const objectId = idOf(ctx.activity.object);
  let post = await federatablePost(ctx, objectId);
  if (!post && objectId && (await followedHere(ctx))) post = await fetchBoosted(ctx, objectId);
  if (!post || audienceForBoost(post) === null) return;
  const audience = audienceOf(ctx.activity, null) === "public" ? "public" : "unlisted";
  const published = Date.parse(text(ctx.activity.published) ?? "");
  await remoteBoost(ctx.deps.db, ctx.actorId, post.id, id, audience, Number.isNaN(published) ? Date.now() : Math.min(published, Date.now()));
}

async function followedHere(ctx: InboxContext): Promise<boolean> {
  const row = await ctx.deps.db.selectFrom("follows").innerJoin("accounts", "accounts.id", "follows.follower_id").select("follows.id")
    .where("follows.followee_id", "=", ctx.actorId).where("accounts.domain", "is", null).where("follows.state", "=", "accepted").executeTakeFirst();
  return row !== undefined;
}

/** Fetches a boosted post from its own server (never trusting an embedded copy) and stores it with its author. */
async function fetchBoosted(ctx: InboxContext, uri: string) {
  try {
    const object = await fetchDocument(ctx.deps, uri);
    const authorUri = idOf(object.attributedTo);
    if (!POST_TYPES.includes(typeOf(object)) || !authorUri || hostOf(authorUri) !== hostOf(uri)) return undefined;
    const authorId = await resolveActor(ctx.deps, authorUri);
    const author = await ctx.deps.db.selectFrom("accounts").select(["id", "followers_uri"]).where("id", "=", authorId).executeTakeFirstOrThrow();
    const post = await parsePost(ctx.deps.db, ctx.deps.config.origin, object, author);
    // Only what anyone may see can be boosted; a copy of anything narrower is not ours to keep.
    if (!post || !mayListPublicly(post.audience)) return undefined;
    await storeRemotePost(ctx.deps.db, post);
    return federatablePost(ctx, uri);
  } catch (error) {
    ctx.deps.log.info("federation: boosted post not fetched", { uri, reason: (error as Error).message });
    return undefined;
  }
}
