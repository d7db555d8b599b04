/**
 * Feeds out: a member's, a tag's and the camp's public posts for feed readers. Only what the
 * audience gate lets anyone see and list publicly gets in (the gate's PUBLICLY_LISTED: public and
 * unlisted, as in the outbox, and as Mastodon's account feeds do), never camp-only, followers-only or
 * direct posts. Only members' own original posts, never boosts or replies, and never the posts of a
 * member who turned their feed off.
 */
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import { anonymous, PUBLICLY_LISTED, visibleTo } from "../audience.ts";
import { MAX_TAG_LENGTH, normalizeTag } from "../text/references.ts";

export const FEED_FORMATS = ["rss", "atom", "json"] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];
export const FEED_MEDIA_TYPES: Record<FeedFormat, string> = { rss: "application/rss+xml", atom: "application/atom+xml", json: "application/feed+json" };
/** Posts in one feed document, newest first. */
export const FEED_LENGTH = 20;

export type FeedScope = { kind: "member"; handle: string } | { kind: "tag"; tag: string } | { kind: "camp" };

export interface PublishedPost {
  id: number;
  html: string;
  contentWarning: string;
  createdAt: number;
  editedAt: number | null;
  author: { handle: string; displayName: string };
}

export interface PublishedFeed {
  title: string;
  /** The page the feed belongs to, as a path on this camp. */
  pagePath: string;
  /** The feed's own path without the format's extension. */
  feedPath: string;
  posts: PublishedPost[];
}

/** The member whose feed this is, when they exist, are not suspended, and offer a feed. */
async function feedMember(db: Db, handle: string) {
  const [member] = await feedMemberByHandle(db, {}, { lowered: handle.toLowerCase() });
  return member;
}

/** Asked on every profile page (for its feed link): built once (see compiledOnce). */
const feedMemberByHandle = compiledOnce((db: Db, _shape: object, v: { lowered: string }) => db.selectFrom("accounts")
  .innerJoin("members", "members.account_id", "accounts.id")
  .select(["accounts.id", "accounts.handle", "accounts.display_name"])
  .where("accounts.domain", "is", null).where((eb) => eb(eb.fn("lower", ["accounts.handle"]), "=", v.lowered))
  .where("accounts.suspended_at", "is", null).where("accounts.feed_enabled", "=", 1));

/** The feed of a scope, or null when there is none to offer (unknown member, feed off, bad tag). */
export async function publishedFeed(db: Db, campName: string, scope: FeedScope): Promise<PublishedFeed | null> {
  let query = db.selectFrom("posts").innerJoin("accounts as authors", "authors.id", "posts.author_id")
    .select(["posts.id", "posts.html", "posts.content_warning", "posts.created_at", "posts.edited_at", "authors.handle", "authors.display_name"])
    .where(visibleTo(anonymous))
    .where("posts.audience", "in", PUBLICLY_LISTED)
    .where("posts.boost_of_id", "is", null).where("posts.in_reply_to_id", "is", null)
    .where("authors.domain", "is", null).where("authors.feed_enabled", "=", 1);
  let head: Omit<PublishedFeed, "posts">;
  if (scope.kind === "member") {
    const member = await feedMember(db, scope.handle);
    if (!member) return null;
    query = query.where("posts.author_id", "=", member.id);
    head = { title: `${member.display_name || member.handle} (@${member.handle}) · ${campName}`, pagePath: `/@${member.handle}`, feedPath: `/@${member.handle}/feed` };
  } else if (scope.kind === "tag") {
    const tag = normalizeTag(scope.tag);
    if (!tag || tag.length > MAX_TAG_LENGTH) return null;
    query = query.where((eb) => eb.exists(eb.selectFrom("post_tags").select("post_tags.post_id").whereRef("post_tags.post_id", "=", "posts.id").where("post_tags.tag", "=", tag)));
    const path = `/tags/${encodeURIComponent(tag)}`;
    head = { title: `#${tag} · ${campName}`, pagePath: path, feedPath: `${path}/feed` };
  } else {
    head = { title: campName, pagePath: "/", feedPath: "/feed" };
  }
  const rows = await query.orderBy("posts.id", "desc").limit(FEED_LENGTH).execute();
  return {
    ...head,
    posts: rows.map((r) => ({
      id: r.id, html: r.html, contentWarning: r.content_warning, createdAt: r.created_at, editedAt: r.edited_at,
      author: { handle: r.handle, displayName: r.display_name || r.handle },
    })),
  };
}

const decoded = (part: string) => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

/** The feeds a page offers with <link rel="alternate">, by the page's path: the camp's, a tag's, a member's (when on). */
export async function feedLinksFor(db: Db, path: string): Promise<{ title: string; path: string }[]> {
  if (path === "/") return [{ title: "The camp's public posts", path: "/feed" }];
  const tag = /^\/tags\/([^/]+)$/.exec(path);
  if (tag) return [{ title: `Public posts tagged #${decoded(tag[1]!)}`, path: `${path}/feed` }];
  const member = /^\/@([A-Za-z0-9_]+)$/.exec(path);
  if (member && (await feedMember(db, member[1]!))) return [{ title: `Public posts of @${member[1]}`, path: `${path}/feed` }];
  return [];
}

/** Turns a member's public feed on or off; off, its addresses answer 404. */
export async function setFeedEnabled(db: Db, accountId: number, enabled: boolean): Promise<void> {
  await db.updateTable("accounts").set({ feed_enabled: enabled ? 1 : 0 }).where("id", "=", accountId).where("domain", "is", null).execute();
}

/** Whether the member offers a feed of their public posts. */
export async function feedEnabled(db: Db, accountId: number): Promise<boolean> {
  const row = await db.selectFrom("accounts").select("feed_enabled").where("id", "=", accountId).executeTakeFirst();
  return row?.feed_enabled === 1;
}
