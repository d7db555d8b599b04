/**
 * Which new posts belong to a stream someone is reading, asked of the database with the audience
 * gate's SQL rule (`visibleTo`) and the reader's own filters, exactly as the stream pages ask.
 */
import type { Db } from "../../db/open.ts";
import { visibleTo, type Viewer } from "../audience.ts";
import { notFilteredFor } from "../filters/streamFilter.ts";
import { listIdsQuery } from "../lists/listStream.ts";
import { homeIdsQuery, visibleTaggedPostIds } from "../timelines/streams.ts";

/**
 * A stream that can be followed live: a member's Home, the Camp stream, or one conversation; apps
 * also follow a tag's stream and one of their lists (the caller checks the list is theirs).
 */
export type LiveStream =
  | { kind: "home" }
  | { kind: "camp" }
  | { kind: "thread"; rootId: number }
  | { kind: "tag"; tag: string }
  | { kind: "list"; listId: number };

/** At most this many new posts are looked at per check; a reader told "50 new posts" reloads anyway. */
export const LIVE_BATCH = 50;

/** Which posts a check asks about: the reader's own too (apps show them), or only some ids (edited ones). */
export interface StreamCheck {
  includeOwn?: boolean;
  only?: number[];
}

/**
 * Ids of posts newer than `afterId` in the stream that the viewer may see, oldest first. The
 * reader's own posts are left out unless asked for: the page that sent them already shows them.
 * With `only`, just those of these ids that belong to the stream (to tell of edits).
 */
export async function newPostIds(db: Db, viewer: Viewer, memberId: number, stream: LiveStream, afterId: number, check: StreamCheck = {}): Promise<number[]> {
  if (viewer.kind !== "member" || check.only?.length === 0) return [];
  const upper = check.only ? Math.max(...check.only) + 1 : Number.MAX_SAFE_INTEGER;
  const lower = check.only ? Math.min(...check.only) : afterId + 1;
  const own = check.includeOwn ? null : memberId;
  let ids: number[];
  if (stream.kind === "home" || stream.kind === "list") {
    let query = stream.kind === "home"
      ? homeIdsQuery(db, memberId, upper, lower, LIVE_BATCH)
      : listIdsQuery(db, memberId, stream.listId, upper, LIVE_BATCH).where("posts.id", ">=", lower);
    if (own !== null) query = query.where("posts.author_id", "!=", own);
    if (check.only) query = query.where("posts.id", "in", check.only);
    ids = (await query.execute()).map((r) => r.id);
  } else if (stream.kind === "tag") {
    let query = visibleTaggedPostIds(db, viewer, stream.tag)
      .where("post_tags.post_id", ">=", lower)
      .where("post_tags.post_id", "<", upper)
      .where(notFilteredFor(memberId));
    if (own !== null) query = query.where("posts.author_id", "!=", own);
    if (check.only) query = query.where("posts.id", "in", check.only);
    ids = (await query.orderBy("post_tags.post_id", "desc").limit(LIVE_BATCH).execute()).map((r) => r.id);
  } else {
    let query = db
      .selectFrom("posts")
      .innerJoin("accounts as authors", "authors.id", "posts.author_id")
      .select("posts.id")
      .where("posts.id", ">=", lower)
      .where("posts.id", "<", upper)
      .where(visibleTo(viewer))
      .where("posts.boost_of_id", "is", null);
    if (own !== null) query = query.where("posts.author_id", "!=", own);
    if (check.only) query = query.where("posts.id", "in", check.only);
    query = stream.kind === "camp"
      ? query.where("authors.domain", "is", null).where(notFilteredFor(memberId))
      : query.where("posts.thread_root_id", "=", stream.rootId);
    ids = (await query.orderBy("posts.id", "desc").limit(LIVE_BATCH).execute()).map((r) => r.id);
  }
  return ids.sort((a, b) => a - b);
}

/** The streams the pages follow live (apps' tag and list streams have no page of their own here). */
export type PageStream = Extract<LiveStream, { kind: "home" | "camp" | "thread" }>;

/** Parses a stream named in a URL ("home", "camp", "thread:12"); null for anything else. */
export function parseLiveStream(name: string): PageStream | null {
  if (name === "home" || name === "camp") return { kind: name };
  const thread = /^thread:([1-9][0-9]{0,15})$/.exec(name);
  return thread ? { kind: "thread", rootId: Number(thread[1]) } : null;
}

