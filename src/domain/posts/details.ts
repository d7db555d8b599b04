/**
 * What an app needs about posts beyond what a page shows: their addresses, language, mentioned
 * accounts, tags and attachments with ids and types, for a page of posts in four queries. Call it
 * only with posts the gate has already let the viewer see (presentItems' output).
 */
import { sql } from "kysely";
import type { Db } from "../../db/open.ts";
import { visibleTo, type Viewer } from "../audience.ts";

export interface PostDetails {
  uri: string | null;
  url: string | null;
  language: string | null;
  mentions: { id: number; handle: string; domain: string | null; url: string | null }[];
  tags: string[];
  media: { id: number; mime: string; url: string; alt: string; width: number | null; height: number | null }[];
}

/** Details of these posts, by id. */
export async function postDetails(db: Db, ids: number[]): Promise<Map<number, PostDetails>> {
  if (ids.length === 0) return new Map();
  const unique = [...new Set(ids)];
  const [posts, mentions, tags, media] = await Promise.all([
    db.selectFrom("posts").select(["id", "uri", "url", "language"]).where("id", "in", unique).execute(),
    db.selectFrom("mentions").innerJoin("accounts", "accounts.id", "mentions.account_id")
      .select(["mentions.post_id", "accounts.id", "accounts.handle", "accounts.domain", "accounts.url"])
      .where("mentions.post_id", "in", unique).where("accounts.suspended_at", "is", null).execute(),
    db.selectFrom("post_tags").select(["post_id", "tag"]).where("post_id", "in", unique).execute(),
    db.selectFrom("media").select(["id", "post_id", "mime", "storage_key", "remote_url", "alt", "width", "height"])
      .where("post_id", "in", unique).orderBy("post_id").orderBy("position").execute(),
  ]);
  const details = new Map<number, PostDetails>(posts.map((p) => [p.id, { uri: p.uri, url: p.url, language: p.language, mentions: [], tags: [], media: [] }]));
  for (const m of mentions) details.get(m.post_id)?.mentions.push({ id: m.id, handle: m.handle, domain: m.domain, url: m.url });
  for (const t of tags) details.get(t.post_id)?.tags.push(t.tag);
  for (const m of media) {
    const url = m.storage_key ? `/media/${m.storage_key}` : m.remote_url;
    if (url) details.get(m.post_id!)?.media.push({ id: m.id, mime: m.mime, url, alt: m.alt, width: m.width, height: m.height });
  }
  return details;
}

/**
 * How many replies to each of these posts the viewer may see (replies the gate hides are not counted).
 * Boost rows never carry in_reply_to_id, so none is counted; asking for `boost_of_id is null` here
 * made SQLite walk posts_boost (every post) instead of posts_reply on a large camp.
 */
export async function visibleReplyCounts(db: Db, viewer: Viewer, ids: number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("posts").innerJoin("accounts as authors", "authors.id", "posts.author_id")
    .select(["posts.in_reply_to_id", sql<number>`count(*)`.as("n")])
    .where("posts.in_reply_to_id", "in", [...new Set(ids)])
    .where(visibleTo(viewer))
    .groupBy("posts.in_reply_to_id")
    .execute();
  return new Map(rows.map((r) => [r.in_reply_to_id!, Number(r.n)]));
}
