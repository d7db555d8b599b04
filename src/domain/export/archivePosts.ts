/** What the archive reads of the database: the member's posts (every audience, oldest first, with their mentions, tags and media), likes, bookmarks and media files, a page at a time. */
import type { Db } from "../../db/open.ts";
import { bookmarkIds } from "../bookmarks/savedStream.ts";
import type { ArchiveLinks, ArchivePost } from "./archiveJson.ts";

const PAGE = 500;

/** Where a media file sits inside the archive (and what the outbox's attachment url says). */
export const archiveMediaPath = (storageKey: string) => `media_attachments/files/${storageKey}`;

/** The member's live posts, in pages. */
export async function* archivePostPages(db: Db, links: ArchiveLinks, localDomain: string, accountId: number): AsyncGenerator<ArchivePost[]> {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom("posts")
      .leftJoin("posts as parent", "parent.id", "posts.in_reply_to_id")
      .leftJoin("accounts as parent_author", "parent_author.id", "parent.author_id")
      .leftJoin("posts as boosted", "boosted.id", "posts.boost_of_id")
      .leftJoin("accounts as boosted_author", "boosted_author.id", "boosted.author_id")
      .select(["posts.id", "posts.audience", "posts.html", "posts.content_warning", "posts.language", "posts.created_at", "posts.edited_at",
        "posts.in_reply_to_uri", "parent.id as parent_id", "parent.uri as parent_uri", "parent_author.domain as parent_domain",
        "boosted.id as boosted_id", "boosted.uri as boosted_uri", "boosted_author.domain as boosted_domain"])
      .where("posts.author_id", "=", accountId).where("posts.deleted_at", "is", null).where("posts.id", ">", after)
      .orderBy("posts.id").limit(PAGE).execute();
    if (!rows.length) return;
    const ids = rows.map((r) => r.id);
    const [mentions, tags, media] = await Promise.all([
      db.selectFrom("mentions").innerJoin("accounts", "accounts.id", "mentions.account_id")
        .select(["mentions.post_id", "accounts.handle", "accounts.domain", "accounts.uri"]).where("mentions.post_id", "in", ids).execute(),
      db.selectFrom("post_tags").select(["post_id", "tag"]).where("post_id", "in", ids).execute(),
      db.selectFrom("media").select(["post_id", "storage_key", "mime", "alt", "width", "height"]).where("post_id", "in", ids)
        .where("storage_key", "is not", null).orderBy("post_id").orderBy("position").execute(),
    ]);
    // A local post's id is minted from its row; a remote one's is stored.
    const uriOf = (id: number | null, uri: string | null, domain: string | null | undefined) => (id === null ? null : domain === null ? links.postUri(id) : uri);
    yield rows.map((r) => ({
      id: r.id,
      audience: r.audience,
      html: r.html,
      contentWarning: r.content_warning,
      language: r.language,
      createdAt: r.created_at,
      editedAt: r.edited_at,
      inReplyToUri: uriOf(r.parent_id, r.parent_uri, r.parent_domain) ?? r.in_reply_to_uri,
      boostOfUri: uriOf(r.boosted_id, r.boosted_uri, r.boosted_domain),
      mentions: mentions.filter((m) => m.post_id === r.id).map((m) => ({
        uri: m.domain === null ? links.actorUri(m.handle) : m.uri ?? "",
        name: `@${m.handle}@${m.domain ?? localDomain}`,
      })).filter((m) => m.uri),
      tags: tags.filter((t) => t.post_id === r.id).map((t) => t.tag),
      media: media.filter((m) => m.post_id === r.id).map((m) => ({ path: archiveMediaPath(m.storage_key!), mime: m.mime, alt: m.alt, width: m.width, height: m.height })),
    }));
    after = rows[rows.length - 1]!.id;
  }
}

/** A post's id as the archive names it: minted from the row for a local post, stored for a remote one (none if it has none). */
const postUrisOf = (links: Pick<ArchiveLinks, "postUri">, rows: { post_id: number; uri: string | null; domain: string | null }[]) =>
  rows.flatMap((r) => (r.domain === null ? [links.postUri(r.post_id)] : r.uri ? [r.uri] : []));

/** URIs of the posts the member liked, oldest like first, a page at a time. */
export async function* likedPostUris(db: Db, links: ArchiveLinks, accountId: number): AsyncGenerator<string[]> {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom("likes").innerJoin("posts", "posts.id", "likes.post_id").innerJoin("accounts", "accounts.id", "posts.author_id")
      .select(["likes.id", "posts.id as post_id", "posts.uri", "accounts.domain"])
      .where("likes.account_id", "=", accountId).where("likes.id", ">", after).orderBy("likes.id").limit(PAGE * 2).execute();
    if (!rows.length) return;
    yield postUrisOf(links, rows);
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * URIs of the posts the member saved, newest saved first, a page at a time: only those the Saved
 * page still shows them (its own gated query), so a post since deleted or narrowed is left out.
 */
export async function* bookmarkedPostUris(db: Db, links: Pick<ArchiveLinks, "postUri">, accountId: number): AsyncGenerator<string[]> {
  let before: number | null = null;
  for (;;) {
    const rows = await bookmarkIds(db, accountId, before, PAGE * 2);
    if (rows.length) yield postUrisOf(links, rows);
    if (rows.length < PAGE * 2) return;
    before = rows[rows.length - 1]!.id;
  }
}

/** The member's media files: post images of live posts, a page at a time. */
export async function* archiveMediaPages(db: Db, accountId: number): AsyncGenerator<{ storageKey: string }[]> {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom("media").innerJoin("posts", "posts.id", "media.post_id").select(["media.id", "media.storage_key"])
      .where("media.owner_id", "=", accountId).where("posts.author_id", "=", accountId).where("posts.deleted_at", "is", null)
      .where("media.storage_key", "is not", null).where("media.id", ">", after).orderBy("media.id").limit(PAGE).execute();
    if (!rows.length) return;
    yield rows.map((r) => ({ storageKey: r.storage_key! }));
    after = rows[rows.length - 1]!.id;
  }
}
