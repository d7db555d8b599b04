/**
 * The Saved page: the posts a member bookmarked that they may still see (through the audience
 * gate, so a post since deleted, or narrowed, drops out), newest saved first, paged by a keyset
 * cursor on the bookmark's id.
 */
import type { Db } from "../../db/open.ts";
import { visibleTo, type Viewer } from "../audience.ts";
import { presentItems } from "../posts/present.ts";
import type { StreamPage } from "../timelines/streams.ts";

export const SAVED_PAGE_SIZE = 20;

/** Bookmarks of a member that pass the gate, newest first: each bookmark's id (the cursor), its post's id, and the post's uri and author's domain (for the archive). */
export async function bookmarkIds(db: Db, accountId: number, before: number | null, limit: number) {
  const viewer: Viewer = { kind: "member", accountId };
  let query = db
    .selectFrom("bookmarks")
    .innerJoin("posts", "posts.id", "bookmarks.post_id")
    .innerJoin("accounts as authors", "authors.id", "posts.author_id")
    .select(["bookmarks.id", "bookmarks.post_id", "posts.uri", "authors.domain"])
    .where("bookmarks.account_id", "=", accountId)
    .where(visibleTo(viewer));
  if (before !== null) query = query.where("bookmarks.id", "<", before);
  return query.orderBy("bookmarks.id", "desc").limit(limit).execute();
}

/** The Saved page: the member's bookmarked posts they may still see, newest saved first. */
export async function savedStream(db: Db, accountId: number, before: number | null, limit = SAVED_PAGE_SIZE): Promise<StreamPage> {
  const rows = await bookmarkIds(db, accountId, before, limit + 1);
  const page = rows.slice(0, limit);
  const items = await presentItems(db, { kind: "member", accountId }, page.map((r) => r.post_id));
  return { items, next: rows.length > limit ? page[page.length - 1]!.id : null };
}
