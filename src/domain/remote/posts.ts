/**
 * Posts from other servers, stored in the same `posts` table as members' posts and keyed by
 * their ActivityPub id, so threads, streams and the audience gate treat both alike. Their HTML
 * passes the one sanitizer; its words are kept in `source`, which search indexes. Only the federation
 * module calls these, after checking origins.
 */
import type { Transaction } from "kysely";
import type { Db } from "../../db/open.ts";
import type { Audience, Database } from "../../db/schema.ts";
import { now } from "../clock.ts";
import { sanitize } from "../text/sanitize.ts";
import { plainText } from "../text/plainText.ts";
import { notify } from "../notifications/notify.ts";
import { recordEvent } from "../../jobs/events.ts";
import { type RemotePoll, withinRemoteCaps, writeRemotePoll } from "../polls/remote.ts";

export interface RemoteAttachment {
  url: string;
  mime: string;
  alt: string;
  width: number | null;
  height: number | null;
}

export interface RemotePost {
  uri: string;
  url: string | null;
  authorId: number;
  audience: Exclude<Audience, "camp">;
  /** Unsanitized HTML as received. */
  html: string;
  contentWarning: string;
  inReplyToUri: string | null;
  /** The post replied to, when we have it (the federation module resolves our own post URLs). */
  inReplyToId: number | null;
  language: string | null;
  createdAt: number;
  /** Accounts the post mentions (local or remote). */
  mentionIds: number[];
  tags: string[];
  attachments: RemoteAttachment[];
  /** A Question's poll, as its server counts it. */
  poll?: RemotePoll | null;
}

export const MAX_REMOTE_HTML = 100_000;
const MAX_ATTACHMENTS = 8;

/** Stores a remote post once (a second delivery changes nothing); returns its id. */
export async function storeRemotePost(db: Db, post: RemotePost): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("posts").select("id").where("uri", "=", post.uri).executeTakeFirst();
    if (existing) return existing.id;
    const parent = post.inReplyToId !== null
      ? await trx.selectFrom("posts").select(["id", "author_id", "thread_root_id"]).where("id", "=", post.inReplyToId).executeTakeFirst()
      : undefined;
    const html = sanitize(post.html.slice(0, MAX_REMOTE_HTML));
    const row = await trx.insertInto("posts").values({
      author_id: post.authorId,
      audience: post.audience,
      uri: post.uri,
      url: post.url,
      in_reply_to_id: parent?.id ?? null,
      in_reply_to_uri: post.inReplyToUri,
      thread_root_id: parent ? (parent.thread_root_id ?? parent.id) : null,
      content_warning: post.contentWarning.slice(0, 500),
      source: plainText(html),
      html,
      language: post.language?.slice(0, 16) ?? null,
      created_at: post.createdAt,
    }).returning("id").executeTakeFirstOrThrow();
    await writeDetails(trx, row.id, post);
    const notified = new Set<number>();
    if (parent && (await isLocal(trx, parent.author_id)) && parent.author_id !== post.authorId) {
      await notify(trx, { recipientId: parent.author_id, kind: "reply", actorId: post.authorId, postId: row.id });
      notified.add(parent.author_id);
    }
    for (const id of post.mentionIds) {
      if (notified.has(id) || !(await isLocal(trx, id))) continue;
      await notify(trx, { recipientId: id, kind: "mention", actorId: post.authorId, postId: row.id });
      notified.add(id);
    }
    // Only posts that concern a member are events (webhooks for replies and mentions); the rest are not.
    if (notified.size > 0) await recordEvent(trx, { type: "post.received", postId: row.id });
    return row.id;
  });
}

/** Applies an edit by the author's server, keeping the previous version in post_edits. */
export async function updateRemotePost(db: Db, postId: number, post: RemotePost): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const old = await trx.selectFrom("posts").selectAll().where("id", "=", postId).executeTakeFirstOrThrow();
    // A poll's new counts arrive as Updates of an unchanged post.
    if (post.poll && withinRemoteCaps(post.poll)) await writeRemotePoll(trx, postId, post.poll);
    const html = sanitize(post.html.slice(0, MAX_REMOTE_HTML));
    if (old.html === html && old.content_warning === post.contentWarning && old.audience === post.audience) return;
    await trx.insertInto("post_edits").values({
      post_id: postId, content_warning: old.content_warning, source: old.source, html: old.html, audience: old.audience, replaced_at: now(),
    }).execute();
    await trx.updateTable("posts").set({
      html, source: plainText(html), content_warning: post.contentWarning.slice(0, 500), audience: post.audience, edited_at: now(),
    }).where("id", "=", postId).execute();
    await trx.deleteFrom("mentions").where("post_id", "=", postId).execute();
    await trx.deleteFrom("post_tags").where("post_id", "=", postId).execute();
    await trx.deleteFrom("media").where("post_id", "=", postId).execute();
    await writeDetails(trx, postId, post);
  });
}

/** The author's server deleted the post: soft-delete it, like members' posts. */
export async function deleteRemotePost(db: Db, postId: number): Promise<void> {
  await db.updateTable("posts").set({ deleted_at: now() }).where("id", "=", postId).where("deleted_at", "is", null).execute();
}

export function postByUri(db: Db | Transaction<Database>, uri: string) {
  return db.selectFrom("posts").select(["id", "author_id", "thread_root_id", "audience", "deleted_at", "boost_of_id"]).where("uri", "=", uri).executeTakeFirst();
}

async function isLocal(trx: Transaction<Database>, accountId: number): Promise<boolean> {
  const row = await trx.selectFrom("accounts").select("domain").where("id", "=", accountId).executeTakeFirst();
  return row !== undefined && row.domain === null;
}

async function writeDetails(trx: Transaction<Database>, postId: number, post: RemotePost): Promise<void> {
  const mentionIds = [...new Set(post.mentionIds)];
  if (mentionIds.length) await trx.insertInto("mentions").values(mentionIds.map((account_id) => ({ post_id: postId, account_id }))).onConflict((oc) => oc.doNothing()).execute();
  const tags = [...new Set(post.tags.map((t) => t.replace(/^#/, "").toLowerCase()).filter((t) => /^[\p{L}\p{N}_]{1,100}$/u.test(t)))];
  if (tags.length) await trx.insertInto("post_tags").values(tags.map((tag) => ({ post_id: postId, tag }))).onConflict((oc) => oc.doNothing()).execute();
  const at = now();
  const media = post.attachments.slice(0, MAX_ATTACHMENTS).map((a, position) => ({
    owner_id: post.authorId, post_id: postId, position, remote_url: a.url, mime: a.mime.slice(0, 100), alt: a.alt.slice(0, 1500),
    width: a.width, height: a.height, created_at: at,
  }));
  if (media.length) await trx.insertInto("media").values(media).execute();
  if (post.poll && withinRemoteCaps(post.poll)) await writeRemotePoll(trx, postId, post.poll);
}
