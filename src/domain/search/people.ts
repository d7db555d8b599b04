/**
 * Searching people and tags, for members (the directory and tag pages are members-only, so visitors
 * get neither). People: members and known accounts elsewhere, by handle, name or bio, never a
 * suspended or deleted one. Tags: names starting with a searched word that tag at least one post
 * the viewer may see, so a tag used only in posts hidden from them is never revealed.
 */
import { visibleTaggedPostIds } from "../timelines/streams.ts";
import { sql } from "kysely";
import type { Db } from "../../db/open.ts";
import type { Viewer } from "../audience.ts";
import { loadAuthors, type AuthorView } from "../posts/present.ts";
import type { SearchTerms } from "./terms.ts";

export const PEOPLE_SHOWN = 5;
export const TAGS_SHOWN = 5;

/** Accounts matching the words, best first. */
export async function searchPeople(db: Db, viewer: Viewer, terms: SearchTerms, limit = PEOPLE_SHOWN): Promise<AuthorView[]> {
  if (viewer.kind !== "member" || !terms.match) return [];
  const rows = await db
    .selectFrom("accounts_fts")
    .crossJoin("accounts")
    .whereRef("accounts.id", "=", "accounts_fts.rowid")
    .select("accounts.id")
    .where("accounts_fts", "match", terms.match)
    .where("accounts.suspended_at", "is", null)
    .where("accounts.deleted_at", "is", null)
    .where("accounts.kind", "!=", "Application")
    .orderBy(sql`bm25(accounts_fts)`)
    .limit(limit)
    .execute();
  const authors = await loadAuthors(db, rows.map((r) => r.id));
  return rows.flatMap((r) => authors.get(r.id) ?? []);
}

/** Does some post the viewer may see carry this tag? Walks the tag's index until it meets one. */
async function tagSeenBy(db: Db, viewer: Viewer, tag: string): Promise<boolean> {
  const row = await visibleTaggedPostIds(db, viewer, tag).limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Tags starting with one of the words, in name order. Each next tag is one index seek past the
 * last (a skip scan), so a popular tag's thousands of rows are never read.
 */
export async function searchTags(db: Db, viewer: Viewer, terms: SearchTerms, limit = TAGS_SHOWN): Promise<string[]> {
  if (viewer.kind !== "member") return [];
  const found: string[] = [];
  for (const word of new Set(terms.words)) {
    let last = word;
    let inclusive = true;
    for (let seeks = 0; found.length < limit && seeks < limit * 4; seeks++) {
      const row = await db.selectFrom("post_tags").select((eb) => eb.fn.min("tag").as("tag"))
        .where("tag", inclusive ? ">=" : ">", last).where("tag", "<", `${word}\u{10FFFF}`).executeTakeFirst();
      if (!row?.tag) break;
      last = row.tag;
      inclusive = false;
      if (!found.includes(row.tag) && (await tagSeenBy(db, viewer, row.tag))) found.push(row.tag);
    }
  }
  return found.slice(0, limit);
}
