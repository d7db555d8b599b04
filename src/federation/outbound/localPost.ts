/**
 * A member's post with everything its ActivityStreams form needs, and the gate: only a post
 * that passes mayLeaveServer comes back typed FederatablePost, the one type the builders take.
 */
import type { Db } from "../../db/open.ts";
import type { Audience } from "../../db/schema.ts";
import { type FederatablePost, mayLeaveServer } from "../../domain/audience.ts";
import { actorUri, postUri } from "../urls.ts";
import { loadPolls, type PollView } from "../../domain/polls/view.ts";

export interface Mentioned {
  accountId: number;
  uri: string;
  /** @handle@domain, as shown in the Mention tag. */
  name: string;
  local: boolean;
}

export interface LocalPost {
  id: number;
  uri: string;
  audience: Audience;
  authorId: number;
  authorUri: string;
  authorHandle: string;
  html: string;
  contentWarning: string;
  language: string | null;
  createdAt: number;
  editedAt: number | null;
  deleted: boolean;
  boostOfId: number | null;
  inReplyTo: { uri: string; authorId: number; authorUri: string; local: boolean } | null;
  mentions: Mentioned[];
  tags: string[];
  media: { url: string; mime: string; alt: string; width: number | null; height: number | null }[];
  /** The post's poll, with counts as nobody in particular sees them. */
  poll: PollView | null;
}

/**
 * Loads a member's post if it may leave the server, else null: camp-only posts, posts of
 * suspended members and remote posts never come back from here. `asAudience` reads it as it
 * was under an earlier audience (for withdrawing what that version published).
 */
export async function loadFederatablePost(db: Db, origin: string, domain: string, postId: number, options: { asAudience?: Audience } = {}): Promise<FederatablePost<LocalPost> | null> {
  const row = await db.selectFrom("posts").innerJoin("accounts", "accounts.id", "posts.author_id")
    .select(["posts.id", "posts.audience", "posts.author_id", "posts.html", "posts.content_warning", "posts.language", "posts.created_at",
      "posts.edited_at", "posts.deleted_at", "posts.boost_of_id", "posts.in_reply_to_id", "accounts.handle", "accounts.domain", "accounts.suspended_at"])
    .where("posts.id", "=", postId).executeTakeFirst();
  if (!row || row.domain !== null) return null;
  const [parent, mentions, tags, media, polls] = await Promise.all([
    row.in_reply_to_id === null ? undefined : db.selectFrom("posts").innerJoin("accounts", "accounts.id", "posts.author_id")
      .select(["posts.id", "posts.uri", "posts.author_id", "accounts.uri as author_uri", "accounts.handle", "accounts.domain"])
      .where("posts.id", "=", row.in_reply_to_id).executeTakeFirst(),
    db.selectFrom("mentions").innerJoin("accounts", "accounts.id", "mentions.account_id")
      .select(["accounts.id", "accounts.uri", "accounts.handle", "accounts.domain"]).where("mentions.post_id", "=", postId).execute(),
    db.selectFrom("post_tags").select("tag").where("post_id", "=", postId).execute(),
    db.selectFrom("media").select(["storage_key", "remote_url", "mime", "alt", "width", "height"]).where("post_id", "=", postId).orderBy("position").execute(),
    loadPolls(db, -1, [{ id: row.id, author_id: row.author_id }]),
  ]);
  const post: LocalPost = {
    id: row.id,
    uri: postUri(origin, row.id),
    // An earlier audience, to undo what an earlier version published; the gate below still decides.
    audience: options.asAudience ?? row.audience,
    authorId: row.author_id,
    authorUri: actorUri(origin, row.handle),
    authorHandle: row.handle,
    html: row.html,
    contentWarning: row.content_warning,
    language: row.language,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deleted: row.deleted_at !== null,
    boostOfId: row.boost_of_id,
    inReplyTo: parent ? {
      uri: parent.domain === null ? postUri(origin, parent.id) : parent.uri ?? "",
      authorId: parent.author_id,
      authorUri: parent.domain === null ? actorUri(origin, parent.handle) : parent.author_uri ?? "",
      local: parent.domain === null,
    } : null,
    mentions: mentions.map((m) => ({
      accountId: m.id,
      uri: m.domain === null ? actorUri(origin, m.handle) : m.uri ?? "",
      name: `@${m.handle}@${m.domain ?? domain}`,
      local: m.domain === null,
    })).filter((m) => m.uri),
    tags: tags.map((t) => t.tag),
    media: media.map((m) => ({ url: m.storage_key ? `${origin}/media/${m.storage_key}` : m.remote_url ?? "", mime: m.mime, alt: m.alt, width: m.width, height: m.height })).filter((m) => m.url),
    poll: polls.get(row.id) ?? null,
  };
  return mayLeaveServer(post, row) ? post : null;
}
