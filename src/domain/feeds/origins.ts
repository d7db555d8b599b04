/** Where imported posts came from ("from blog.example", linking to the original), loaded once for a page of posts. */
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";

export interface FeedOrigin {
  host: string;
  /** The original entry, when the feed linked it. */
  url: string | null;
}

/** The origin of each imported post among these ids; posts written here have none. */
export async function loadOrigins(db: Db, postIds: number[]): Promise<Map<number, FeedOrigin>> {
  if (postIds.length === 0) return new Map();
  const rows = await originsAmong(db, {}, { postIds });
  return new Map(rows.map((r) => [r.post_id!, { host: r.origin_host, url: r.link }]));
}

/** Asked for every page of posts: built once per page length (see compiledOnce). */
const originsAmong = compiledOnce((db: Db, _shape: object, v: { postIds: number[] }) => db.selectFrom("feed_entries")
  .select(["post_id", "origin_host", "link"]).where("post_id", "in", v.postIds));
