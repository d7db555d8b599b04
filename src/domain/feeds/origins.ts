/** Where imported posts came from ("from blog.example", linking to the original), loaded once for a page of posts. */
import type { Db } from "../../db/open.ts";

export interface FeedOrigin {
  host: string;
  /** The original entry, when the feed linked it. */
  url: string | null;
}

/** The origin of each imported post among these ids; posts written here have none. */
export async function loadOrigins(db: Db, postIds: number[]): Promise<Map<number, FeedOrigin>> {
  if (postIds.length === 0) return new Map();
  const rows = await db.selectFrom("feed_entries").select(["post_id", "origin_host", "link"]).where("post_id", "in", postIds).execute();
  return new Map(rows.map((r) => [r.post_id!, { host: r.origin_host, url: r.link }]));
}
