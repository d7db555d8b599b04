/**
 * What leaves when polls change: a member's vote on another server's poll (one Create(Note) per
 * choice, named after the option and addressed to the poll's author alone, as Mastodon does), and
 * the new counts or closing of a poll of this camp (an Update of the Question, wherever the post
 * went and to the remote voters). Camp-only polls give nothing: the gate decides, as for any post.
 */
import type { Deps } from "../../web/env.ts";
import { mayLeaveServer } from "../../domain/audience.ts";
import { actorUri, followersUri } from "../urls.ts";
import { activity } from "../vocab/activities.ts";
import { addressing, noteOf } from "../vocab/note.ts";
import { enqueueDeliveries } from "./deliver.ts";
import { loadFederatablePost } from "./localPost.ts";
import { postRecipients } from "./postEvents.ts";
import { inboxesOf } from "./recipients.ts";

/** Sends a member's vote on a remote poll to the poll's author. */
export async function onPollVoted(deps: Deps, postId: number, accountId: number): Promise<void> {
  const { db } = deps;
  const post = await db.selectFrom("posts").innerJoin("accounts", "accounts.id", "posts.author_id")
    .select(["posts.uri", "posts.audience", "posts.author_id", "accounts.domain", "accounts.suspended_at", "accounts.uri as author_uri"])
    .where("posts.id", "=", postId).executeTakeFirst();
  if (!post || post.domain === null || !post.uri || !post.author_uri || !mayLeaveServer(post, post)) return;
  const voter = await db.selectFrom("accounts").select(["handle", "domain", "suspended_at"]).where("id", "=", accountId).executeTakeFirst();
  if (!voter || voter.domain !== null || voter.suspended_at !== null) return;
  const actor = actorUri(deps.config.origin, voter.handle);
  const votes = await db.selectFrom("poll_votes")
    .innerJoin("poll_options", (join) => join.onRef("poll_options.poll_id", "=", "poll_votes.poll_id").onRef("poll_options.position", "=", "poll_votes.position"))
    .select(["poll_votes.id", "poll_votes.uri", "poll_options.title"])
    .where("poll_votes.poll_id", "=", postId).where("poll_votes.account_id", "=", accountId).orderBy("poll_votes.position").execute();
  const inboxes = await inboxesOf(db, [post.author_id], { personal: true });
  for (const vote of votes) {
    const id = vote.uri ?? `${actor}#votes/${vote.id}`;
    if (!vote.uri) await db.updateTable("poll_votes").set({ uri: id }).where("id", "=", vote.id).execute();
    const note = { id, type: "Note", name: vote.title, attributedTo: actor, inReplyTo: post.uri, to: [post.author_uri] };
    await enqueueDeliveries(db, accountId, activity("Create", `${id}/activity`, actor, note, { to: [post.author_uri] }), inboxes);
  }
  deps.log.info("federation: queued", { activity: "Create", vote: true, postId, choices: votes.length });
}

/** Sends a poll's new counts (or its closing) where the post went, and to the remote voters. */
export async function onPollChanged(deps: Deps, postId: number): Promise<void> {
  const { db, config } = deps;
  const post = await loadFederatablePost(db, config.origin, config.domain, postId);
  if (!post || !post.poll || post.deleted || post.boostOfId !== null) return;
  const { to, cc } = addressing(post, followersUri(config.origin, post.authorHandle));
  const update = activity("Update", `${post.uri}#poll-${Date.now()}`, post.authorUri, noteOf(config.origin, post), { to, cc });
  const voters = await db.selectFrom("poll_votes").innerJoin("accounts", "accounts.id", "poll_votes.account_id")
    .select("accounts.id").distinct().where("poll_votes.poll_id", "=", postId).where("accounts.domain", "is not", null).execute();
  const inboxes = [...(await postRecipients(db, post)), ...(await inboxesOf(db, voters.map((v) => v.id)))];
  const count = await enqueueDeliveries(db, post.authorId, update, inboxes);
  deps.log.info("federation: queued", { activity: "Update", poll: true, postId, inboxes: count });
}
