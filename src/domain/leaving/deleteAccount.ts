/**
 * Deleting a member's account for good. Everything they made is removed in one transaction
 * (posts' content, media, likes, follows, blocks, mutes, sessions, reset links, the member row);
 * the account row stays as a tombstone so the handle is reserved forever and old links answer
 * "gone". The `account.deleted` event names the remote accounts that know this one, so
 * federation can tell their servers; no event about any single post is recorded.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { recordEvent } from "../../jobs/events.ts";
import { normalizeHandle } from "../members/handles.ts";
import { removeFiles } from "../export/requests.ts";
import { staysInCamp } from "../audience.ts";

/** Where the member's files are: uploaded media and archives. */
export interface DataPlace {
  mediaDir: string;
  dataDir: string;
}

/**
 * Deletes a member's account (by themselves or by the operator), once the handle typed to confirm
 * matches. The operator's own account runs the camp and is refused.
 */
export async function deleteMemberAccount(db: Db, place: DataPlace, accountId: number, typedHandle: string): Promise<void> {
  const member = await liveMember(db, accountId);
  if (normalizeHandle(typedHandle).toLowerCase() !== member.handle.toLowerCase()) {
    refuse("invalid", `Type the handle, ${member.handle}, to confirm. Nothing was deleted.`, "confirm");
  }
  if (member.role === "operator") refuse("forbidden", "The operator's account runs the camp and cannot be deleted.");
  await deleteAccount(db, place, accountId);
}

async function liveMember(db: Db, accountId: number) {
  const member = await db.selectFrom("members").innerJoin("accounts", "accounts.id", "members.account_id")
    .select(["accounts.handle", "members.role"]).where("accounts.id", "=", accountId).where("accounts.deleted_at", "is", null).executeTakeFirst();
  return member ?? refuse("not_found", "There is no such member.");
}

/**
 * Remote accounts whose servers know this account: it follows them, they follow it, it liked their
 * posts, or a post of its that left the camp mentioned them. A camp-only post's mentions count for
 * nothing: those servers never heard of it.
 */
async function remoteAccountsThatKnow(db: Db, accountId: number): Promise<number[]> {
  const [related, mentioned] = await Promise.all([
    db.selectFrom("follows").select("followee_id as id").where("follower_id", "=", accountId)
      .union(db.selectFrom("follows").select("follower_id as id").where("followee_id", "=", accountId))
      .union(db.selectFrom("likes").innerJoin("posts", "posts.id", "likes.post_id").select("posts.author_id as id").where("likes.account_id", "=", accountId))
      .execute(),
    db.selectFrom("mentions").innerJoin("posts", "posts.id", "mentions.post_id").select(["mentions.account_id as id", "posts.audience"])
      .where("posts.author_id", "=", accountId).execute(),
  ]);
  const ids = [...new Set([...related.map((r) => r.id), ...mentioned.filter((m) => !staysInCamp(m.audience)).map((m) => m.id)])];
  if (!ids.length) return [];
  const remote = await db.selectFrom("accounts").select("id").where("id", "in", ids).where("domain", "is not", null).execute();
  return remote.map((r) => r.id);
}

/** Saved posts, lists, followed tags, votes, polls, feed sources and webhooks: the member's, gone with them. */
async function forgetDiscussionAndFeeds(trx: Db, accountId: number): Promise<void> {
  const own = trx.selectFrom("posts").select("id").where("author_id", "=", accountId);
  const ownPolls = trx.selectFrom("polls").select("post_id").where("post_id", "in", own);
  const ownLists = trx.selectFrom("lists").select("id").where("account_id", "=", accountId);
  const ownHooks = trx.selectFrom("webhooks").select("id").where("account_id", "=", accountId);
  await trx.deleteFrom("bookmarks").where((eb) => eb.or([eb("account_id", "=", accountId), eb("post_id", "in", own)])).execute();
  await trx.deleteFrom("poll_votes").where((eb) => eb.or([eb("account_id", "=", accountId), eb("poll_id", "in", ownPolls)])).execute();
  await trx.deleteFrom("poll_options").where("poll_id", "in", ownPolls).execute();
  await trx.deleteFrom("polls").where("post_id", "in", own).execute();
  await trx.deleteFrom("list_members").where((eb) => eb.or([eb("account_id", "=", accountId), eb("list_id", "in", ownLists)])).execute();
  await trx.deleteFrom("lists").where("account_id", "=", accountId).execute();
  await trx.deleteFrom("followed_tags").where("account_id", "=", accountId).execute();
  await trx.deleteFrom("feed_entries").where("post_id", "in", own).execute();
  await trx.deleteFrom("feed_sources").where("account_id", "=", accountId).execute();
  await trx.deleteFrom("webhook_deliveries").where("webhook_id", "in", ownHooks).execute();
  await trx.deleteFrom("webhooks").where("account_id", "=", accountId).execute();
}

async function deleteAccount(db: Db, place: DataPlace, accountId: number): Promise<void> {
  const { media, archives } = await db.transaction().execute(async (trx) => {
    const at = now();
    await recordEvent(trx, { type: "account.deleted", accountId, knownBy: await remoteAccountsThatKnow(trx, accountId) });
    const mediaRows = await trx.deleteFrom("media").where("owner_id", "=", accountId).returning("storage_key").execute();
    const own = trx.selectFrom("posts").select("id").where("author_id", "=", accountId);
    await trx.deleteFrom("post_edits").where("post_id", "in", own).execute();
    await trx.deleteFrom("mentions").where("post_id", "in", own).execute();
    await trx.deleteFrom("post_tags").where("post_id", "in", own).execute();
    await trx.deleteFrom("pending_mentions").where("post_id", "in", own).execute();
    // Rows stay (with no content) so replies by others keep their place in threads.
    await trx.updateTable("posts").set((eb) => ({ deleted_at: eb.fn.coalesce("deleted_at", eb.val(at)), source: "", html: "", content_warning: "" }))
      .where("author_id", "=", accountId).execute();
    await trx.deleteFrom("likes").where("account_id", "=", accountId).execute();
    await trx.deleteFrom("follows").where((eb) => eb.or([eb("follower_id", "=", accountId), eb("followee_id", "=", accountId)])).execute();
    await trx.deleteFrom("blocks").where((eb) => eb.or([eb("account_id", "=", accountId), eb("target_id", "=", accountId)])).execute();
    await trx.deleteFrom("mutes").where((eb) => eb.or([eb("account_id", "=", accountId), eb("target_id", "=", accountId)])).execute();
    await trx.deleteFrom("muted_words").where("account_id", "=", accountId).execute();
    await trx.deleteFrom("member_domain_blocks").where("account_id", "=", accountId).execute();
    await trx.deleteFrom("notifications").where((eb) => eb.or([eb("recipient_id", "=", accountId), eb("actor_id", "=", accountId)])).execute();
    await trx.deleteFrom("sessions").where("account_id", "=", accountId).execute();
    await trx.deleteFrom("password_resets").where("account_id", "=", accountId).execute();
    const exports = await trx.deleteFrom("exports").where("account_id", "=", accountId).returning("file_name").execute();
    await trx.deleteFrom("imports").where("account_id", "=", accountId).execute();
    await forgetDiscussionAndFeeds(trx, accountId);
    await trx.deleteFrom("members").where("account_id", "=", accountId).execute();
    await trx.updateTable("accounts")
      .set({ deleted_at: at, display_name: "", bio_source: "", bio_html: "", avatar_media_id: null, also_known_as: "[]" })
      .where("id", "=", accountId).execute();
    return {
      media: mediaRows.flatMap((m) => (m.storage_key ? [m.storage_key] : [])),
      archives: exports.flatMap((e) => (e.file_name ? [e.file_name] : [])),
    };
  });
  // After the commit: a file left behind by a crash here is unreachable (its row is gone).
  await Promise.all(media.map((key) => rm(join(place.mediaDir, key), { force: true })));
  await removeFiles(place.dataDir, archives);
}
