/**
 * What leaves when a member posts, edits, deletes or boosts: Create, Update, Delete, Announce
 * and Undo(Announce), each only for a post the gate lets out, to the followers' servers and
 * the mentioned. A camp-only post gives nothing at all here, edits and deletion included.
 */
import type { Deps } from "../../web/env.ts";
import type { Db } from "../../db/open.ts";
import { addressingOf, type FederatablePost, isAudience, mayLeaveServer } from "../../domain/audience.ts";
import type { Audience } from "../../db/schema.ts";
import { actorUri, followersUri, postUri } from "../urls.ts";
import { PUBLIC } from "../vocab/context.ts";
import { activity, undo } from "../vocab/activities.ts";
import { addressing, noteOf } from "../vocab/note.ts";
import { pendingRemoteMentions, resolveRemoteMentions } from "../../domain/posts/remoteMentions.ts";
import { lookupAccount } from "../lookup.ts";
import { FetchRefused } from "../safeFetch.ts";
import { enqueueDeliveries } from "./deliver.ts";
import { type LocalPost, loadFederatablePost } from "./localPost.ts";
import { followerInboxes, inboxesOf } from "./recipients.ts";

type PostChange = "created" | "updated" | "deleted";

/** Handles post.created / post.updated / post.deleted for one post. */
export async function onPostEvent(deps: Deps, change: PostChange, postId: number): Promise<void> {
  const { config } = deps;
  const previous = change === "updated" ? await previousAudience(deps.db, postId) : null;
  let post = await loadFederatablePost(deps.db, config.origin, config.domain, postId);
  if (!post) {
    if (previous !== null && previous !== "camp") await withdraw(deps, postId, previous);
    else deps.log.debug("federation: post stays in the camp", { postId, change });
    return;
  }
  // Only a post that may leave looks up the outside people it names, so they can be addressed.
  if (change !== "deleted" && (await resolvePendingMentions(deps, postId))) post = await loadFederatablePost(deps.db, config.origin, config.domain, postId);
  if (!post) return;
  if (post.boostOfId !== null) return onBoostEvent(deps, change, post);
  const note = noteOf(config.origin, post);
  const { to, cc } = addressing(post, followersUri(config.origin, post.authorHandle));
  // A post that was camp-only until this edit is new to other servers: it arrives as a Create.
  const republished = change === "updated" && previous === "camp";
  const built =
    change === "created" ? activity("Create", `${post.uri}/activity`, post.authorUri, note, { published: note.published, to, cc })
    : republished ? activity("Create", `${post.uri}#create-${post.editedAt ?? 0}`, post.authorUri, note, { published: note.published, to, cc })
    : change === "updated" ? activity("Update", `${post.uri}#update-${post.editedAt ?? 0}`, post.authorUri, note, { to, cc })
    : activity("Delete", `${post.uri}#delete`, post.authorUri, { id: post.uri, type: "Tombstone" }, { to, cc });
  const inboxes = await postRecipients(deps.db, post);
  const count = await enqueueDeliveries(deps.db, post.authorId, built, inboxes);
  deps.log.info("federation: queued", { activity: built.type, postId, inboxes: count });
}

/** The audience of the version an edit replaced. */
async function previousAudience(db: Db, postId: number): Promise<Audience | null> {
  const edit = await db.selectFrom("post_edits").select("audience").where("post_id", "=", postId).orderBy("id", "desc").limit(1).executeTakeFirst();
  return edit && isAudience(edit.audience) ? edit.audience : null;
}

/**
 * An edit made the post camp-only: the servers that got the earlier version are told to delete
 * it, addressed as that version was. Nothing of the new version leaves.
 */
async function withdraw(deps: Deps, postId: number, previous: Audience): Promise<void> {
  const before = await loadFederatablePost(deps.db, deps.config.origin, deps.config.domain, postId, { asAudience: previous });
  if (!before || before.boostOfId !== null) return;
  const { to, cc } = addressing(before, followersUri(deps.config.origin, before.authorHandle));
  const built = activity("Delete", `${before.uri}#withdraw-${before.editedAt ?? 0}`, before.authorUri, { id: before.uri, type: "Tombstone" }, { to, cc });
  const count = await enqueueDeliveries(deps.db, before.authorId, built, await postRecipients(deps.db, before));
  deps.log.info("federation: queued", { activity: "Delete", reason: "now camp-only", postId, inboxes: count });
}

/** Looks up `@user@domain` mentions not known yet; true when any became an account. */
async function resolvePendingMentions(deps: Deps, postId: number): Promise<boolean> {
  const pending = await pendingRemoteMentions(deps.db, postId);
  let found = false;
  for (const acct of pending) {
    try {
      await lookupAccount(deps, acct);
      found = true;
    } catch (error) {
      if (!(error instanceof FetchRefused)) throw error;
      deps.log.info("federation: mention not found", { postId, acct, reason: error.message });
    }
  }
  if (found) await resolveRemoteMentions(deps.db, postId, deps.config.domain);
  return found;
}

/** The remote inboxes a post goes to: followers' (unless direct), the mentioned and the author replied to. */
export async function postRecipients(db: Db, post: FederatablePost<LocalPost>): Promise<string[]> {
  const accounts = post.mentions.filter((m) => !m.local).map((m) => m.accountId);
  if (post.inReplyTo && !post.inReplyTo.local) accounts.push(post.inReplyTo.authorId);
  const direct = await inboxesOf(db, accounts);
  return addressingOf(post).followers === null ? direct : [...(await followerInboxes(db, post.authorId)), ...direct];
}

/** A boost leaves as Announce (and its removal as Undo) only when the boosted post may leave too. */
async function onBoostEvent(deps: Deps, change: PostChange, boost: FederatablePost<LocalPost>): Promise<void> {
  if (change === "updated") return;
  const original = await boostedPost(deps, boost.boostOfId!);
  if (!original) return;
  const announce = activity("Announce", `${boost.uri}/activity`, boost.authorUri, original.uri, {
    published: new Date(boost.createdAt).toISOString(),
    to: [PUBLIC],
    cc: [followersUri(deps.config.origin, boost.authorHandle), original.authorUri],
  });
  const built = change === "created" ? announce : undo(announce, { to: announce.to, cc: announce.cc });
  const inboxes = [...(await followerInboxes(deps.db, boost.authorId)), ...(original.remote ? await inboxesOf(deps.db, [original.authorId]) : [])];
  await enqueueDeliveries(deps.db, boost.authorId, built, inboxes);
}

/** The id and author of a boosted post, if the gate lets it out (local or remote). */
async function boostedPost(deps: Deps, postId: number) {
  const row = await deps.db.selectFrom("posts").innerJoin("accounts", "accounts.id", "posts.author_id")
    .select(["posts.id", "posts.uri", "posts.audience", "posts.author_id", "accounts.uri as author_uri", "accounts.handle", "accounts.domain", "accounts.suspended_at"])
    .where("posts.id", "=", postId).executeTakeFirst();
  if (!row || !mayLeaveServer(row, row)) return null;
  const remote = row.domain !== null;
  const uri = remote ? row.uri : postUri(deps.config.origin, row.id);
  const authorUri = remote ? row.author_uri : actorUri(deps.config.origin, row.handle);
  return uri && authorUri ? { uri, authorUri, authorId: row.author_id, remote } : null;
}
