/**
 * What leaves when a member likes, follows, accepts or rejects a follower, blocks, or edits
 * their profile. Likes of posts the gate keeps in the camp never leave.
 */
import type { Deps } from "../../web/env.ts";
import { mayLeaveServer } from "../../domain/audience.ts";
import { actorDocument } from "../vocab/actor.ts";
import { activity, type Activity, undo } from "../vocab/activities.ts";
import { keysOf } from "../keys.ts";
import { actorFactsOf, findLocalActor } from "../localActors.ts";
import { actorUri, blockUri, followUri, likeUri } from "../urls.ts";
import { enqueueDeliveries } from "./deliver.ts";
import { followerInboxes, inboxesOf } from "./recipients.ts";

/** A local account (member) and a remote one, or null when the pair is not local→remote. */
async function localAndRemote(deps: Deps, localId: number, remoteId: number) {
  const rows = await deps.db.selectFrom("accounts").select(["id", "handle", "domain", "uri", "suspended_at"]).where("id", "in", [localId, remoteId]).execute();
  const local = rows.find((r) => r.id === localId && r.domain === null && r.suspended_at === null);
  const remote = rows.find((r) => r.id === remoteId && r.domain !== null && r.uri !== null);
  return local && remote ? { localUri: actorUri(deps.config.origin, local.handle), remoteUri: remote.uri! } : null;
}

async function sendTo(deps: Deps, signerId: number, built: Activity, remoteId: number): Promise<void> {
  const inboxes = await inboxesOf(deps.db, [remoteId], { personal: true });
  await enqueueDeliveries(deps.db, signerId, built, inboxes);
  deps.log.info("federation: queued", { activity: built.type, to: remoteId, inboxes: inboxes.length });
}

/** The liked post's id and remote author, if a like of it may leave. */
async function likedPost(deps: Deps, postId: number) {
  const post = await deps.db.selectFrom("posts").innerJoin("accounts", "accounts.id", "posts.author_id")
    .select(["posts.uri", "posts.audience", "posts.author_id", "accounts.domain", "accounts.suspended_at"]).where("posts.id", "=", postId).executeTakeFirst();
  return post && post.domain !== null && post.uri && mayLeaveServer(post, post) ? { uri: post.uri, authorId: post.author_id } : null;
}

const likeOf = (deps: Deps, id: string, actor: string, object: string) => activity("Like", id, actor, object);

export async function onLikeCreated(deps: Deps, likeId: number): Promise<void> {
  const like = await deps.db.selectFrom("likes").selectAll().where("id", "=", likeId).executeTakeFirst();
  const post = like && (await likedPost(deps, like.post_id));
  const pair = post && (await localAndRemote(deps, like.account_id, post.authorId));
  if (!like || !post || !pair) return;
  const id = like.uri ?? likeUri(deps.config.origin, like.id);
  // Recorded now so that a later unlike can name the same Like in its Undo.
  if (!like.uri) await deps.db.updateTable("likes").set({ uri: id }).where("id", "=", like.id).execute();
  await sendTo(deps, like.account_id, likeOf(deps, id, pair.localUri, post.uri), post.authorId);
}

export async function onLikeDeleted(deps: Deps, accountId: number, postId: number, uri: string | null): Promise<void> {
  const post = uri ? await likedPost(deps, postId) : null;
  const pair = post && (await localAndRemote(deps, accountId, post.authorId));
  if (!uri || !post || !pair) return;
  await sendTo(deps, accountId, undo(likeOf(deps, uri, pair.localUri, post.uri)), post.authorId);
}

/** A member asked to follow a remote account: send Follow and remember its id for a later Undo. */
export async function onFollowCreated(deps: Deps, followId: number): Promise<void> {
  const follow = await deps.db.selectFrom("follows").selectAll().where("id", "=", followId).executeTakeFirst();
  const pair = follow && (await localAndRemote(deps, follow.follower_id, follow.followee_id));
  if (!follow || !pair) return;
  const id = follow.uri ?? followUri(deps.config.origin, follow.id);
  if (!follow.uri) await deps.db.updateTable("follows").set({ uri: id }).where("id", "=", follow.id).execute();
  await sendTo(deps, follow.follower_id, activity("Follow", id, pair.localUri, pair.remoteUri), follow.followee_id);
}

/** A member accepted (or the camp auto-accepted) a remote follower. */
export async function sendAccept(deps: Deps, followId: number): Promise<void> {
  const follow = await deps.db.selectFrom("follows").selectAll().where("id", "=", followId).where("state", "=", "accepted").executeTakeFirst();
  const pair = follow && (await localAndRemote(deps, follow.followee_id, follow.follower_id));
  if (!follow || !pair || !follow.uri) return;
  const followActivity = { id: follow.uri, type: "Follow", actor: pair.remoteUri, object: pair.localUri };
  await sendTo(deps, follow.followee_id, activity("Accept", `${pair.localUri}#accepts/${follow.id}`, pair.localUri, followActivity), follow.follower_id);
}

/** A member turned down a follow request or removed a remote follower: send Reject. */
export async function sendReject(deps: Deps, followerId: number, followeeId: number, followUri: string | null): Promise<void> {
  const pair = await localAndRemote(deps, followeeId, followerId);
  if (!pair || !followUri) return;
  const followActivity = { id: followUri, type: "Follow", actor: pair.remoteUri, object: pair.localUri };
  const id = `${pair.localUri}#rejects/${Buffer.from(followUri).toString("base64url").slice(-32)}`;
  await sendTo(deps, followeeId, activity("Reject", id, pair.localUri, followActivity), followerId);
}

/** A follow between a member and a remote account ended; which side the member is decides Undo or Reject. */
export async function onFollowDeleted(deps: Deps, followerId: number, followeeId: number, uri: string | null): Promise<void> {
  const outgoing = await localAndRemote(deps, followerId, followeeId);
  if (outgoing) {
    if (uri) await sendTo(deps, followerId, undo(activity("Follow", uri, outgoing.localUri, outgoing.remoteUri)), followeeId);
    return;
  }
  await sendReject(deps, followerId, followeeId, uri);
}

export async function onBlockChanged(deps: Deps, created: boolean, accountId: number, targetId: number): Promise<void> {
  const pair = await localAndRemote(deps, accountId, targetId);
  if (!pair) return;
  const block = activity("Block", blockUri(deps.config.origin, accountId, targetId), pair.localUri, pair.remoteUri);
  await sendTo(deps, accountId, created ? block : undo(block), targetId);
}

/** A member changed their profile: send Update(Person) to their followers' servers. */
export async function onAccountUpdated(deps: Deps, accountId: number): Promise<void> {
  const account = await deps.db.selectFrom("accounts").select(["handle", "domain"]).where("id", "=", accountId).executeTakeFirst();
  if (!account || account.domain !== null) return;
  const actor = await findLocalActor(deps.db, account.handle);
  if (!actor || actor.suspended_at !== null) return;
  const doc = actorDocument(deps.config, actorFactsOf(deps.config, actor), await keysOf(deps.db, accountId));
  const { "@context": _context, ...object } = doc;
  const uri = actorUri(deps.config.origin, actor.handle);
  const update = activity("Update", `${uri}#updates/${Date.now()}`, uri, object, { to: ["https://www.w3.org/ns/activitystreams#Public"] });
  await enqueueDeliveries(deps.db, accountId, update, await followerInboxes(deps.db, accountId));
}
