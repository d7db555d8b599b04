/**
 * A member's direct conversations, for apps (Mastodon's /api/v1/conversations): the threads holding
 * direct posts the member wrote or was mentioned in, newest first by their last such post, with the
 * people taking part. Read through the member's own posts and their mentions (posts_author and
 * mentions_account), with the audience gate's SQL rule on every post.
 */
import { sql } from "kysely";
import type { Db } from "../../db/open.ts";
import { visibleTo, type Viewer } from "../audience.ts";

export interface DirectConversation {
  /** The thread's root post: the conversation's id. */
  rootId: number;
  /** The newest direct post of the thread the member may see. */
  lastPostId: number;
  /** Everyone who wrote or was mentioned in its direct posts, but the member. */
  participantIds: number[];
}

/** One page of conversations whose last post is older than `before`, newest first (`limit + 1` asked, to know if there is more). */
export async function directConversations(db: Db, memberId: number, before: number | null, limit: number): Promise<{ items: DirectConversation[]; next: number | null }> {
  const viewer: Viewer = { kind: "member", accountId: memberId };
  const root = sql<number>`coalesce(posts.thread_root_id, posts.id)`;
  let query = db.selectFrom("posts")
    .innerJoin("accounts as authors", "authors.id", "posts.author_id")
    .select([root.as("root_id"), (eb) => eb.fn.max("posts.id").as("last_id")])
    .where("posts.audience", "=", "direct")
    .where("posts.id", "in", (eb) => eb.selectFrom("mentions").select("post_id").where("account_id", "=", memberId)
      .union(eb.selectFrom("posts as mine").select("mine.id as post_id").where("mine.author_id", "=", memberId).where("mine.audience", "=", "direct")))
    .where(visibleTo(viewer))
    .groupBy(root);
  if (before !== null) query = query.having((eb) => eb.fn.max("posts.id"), "<", before);
  const rows = await query.orderBy("last_id", "desc").limit(limit + 1).execute();
  const page = rows.slice(0, limit).map((r) => ({ rootId: Number(r.root_id), lastPostId: Number(r.last_id) }));
  const participants = await participantsOf(db, viewer, page.map((c) => c.rootId));
  const items = page.map((c) => ({ ...c, participantIds: [...(participants.get(c.rootId) ?? [])].filter((id) => id !== memberId) }));
  return { items, next: rows.length > limit ? items[items.length - 1]!.lastPostId : null };
}

/** The authors and mentioned accounts of the direct posts of these threads that the viewer may see, by thread. */
async function participantsOf(db: Db, viewer: Viewer, rootIds: number[]): Promise<Map<number, Set<number>>> {
  const byRoot = new Map<number, Set<number>>();
  if (rootIds.length === 0) return byRoot;
  const root = sql<number>`coalesce(posts.thread_root_id, posts.id)`;
  const rows = await db.selectFrom("posts")
    .innerJoin("accounts as authors", "authors.id", "posts.author_id")
    .leftJoin("mentions", "mentions.post_id", "posts.id")
    .select([root.as("root_id"), "posts.author_id", "mentions.account_id"])
    .where("posts.audience", "=", "direct")
    .where(visibleTo(viewer))
    .where((eb) => eb.or([eb("posts.id", "in", rootIds), eb("posts.thread_root_id", "in", rootIds)]))
    .execute();
  for (const r of rows) {
    const set = byRoot.get(Number(r.root_id)) ?? new Set<number>();
    set.add(r.author_id);
    if (r.account_id !== null) set.add(r.account_id);
    byRoot.set(Number(r.root_id), set);
  }
  return byRoot;
}
