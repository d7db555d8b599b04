/**
 * Asking the audience gate about posts in the database: who the viewer is, and the facts about
 * each post that `mayView` needs, loaded for a whole page of posts in one query.
 */
import { sql } from "kysely";
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import type { Post } from "../../db/schema.ts";
import { anonymous, mayView, type PostFacts, type Viewer } from "../audience.ts";

/** The viewer for a logged-in member (sessions of suspended members never load), or a visitor. */
export function viewerOf(member: { id: number } | null): Viewer {
  return member ? { kind: "member", accountId: member.id } : anonymous;
}

/** The viewer an account acts as: a suspended or deleted account sees what a stranger sees. */
export async function viewerForAccount(db: Db, accountId: number): Promise<Viewer> {
  const account = await db
    .selectFrom("accounts")
    .select(["domain", "suspended_at", "deleted_at"])
    .where("id", "=", accountId)
    .executeTakeFirst();
  if (!account || account.suspended_at !== null || account.deleted_at !== null) return anonymous;
  return { kind: account.domain === null ? "member" : "remote", accountId };
}

export type PostWithFacts = { post: Post; facts: PostFacts };

/** The posts with these ids and the gate's facts about each, for this viewer. */
export async function loadWithFacts(db: Db, viewer: Viewer, ids: number[]): Promise<Map<number, PostWithFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await postsWithFacts(db, {}, { me: viewer.kind === "anonymous" ? -1 : viewer.accountId, ids: [...new Set(ids)] });
  return new Map(rows.map(({ author_suspended_at, viewer_follows, viewer_mentioned, author_blocks, ...post }) => [post.id, {
    post,
    facts: {
      authorId: post.author_id,
      audience: post.audience,
      deleted: post.deleted_at !== null,
      authorSuspended: author_suspended_at !== null,
      viewerFollowsAuthor: !!viewer_follows,
      viewerIsMentioned: !!viewer_mentioned,
      authorBlocksViewer: !!author_blocks,
    },
  }]));
}

/** Asked several times on every page: built once per number of ids (see compiledOnce). */
const postsWithFacts = compiledOnce((db: Db, _shape: object, v: { me: number; ids: number[] }) => db
  .selectFrom("posts")
  .innerJoin("accounts as authors", "authors.id", "posts.author_id")
  .selectAll("posts")
  .select([
    "authors.suspended_at as author_suspended_at",
    sql<number>`exists (select 1 from follows f where f.follower_id = ${v.me} and f.followee_id = posts.author_id and f.state = 'accepted')`.as("viewer_follows"),
    sql<number>`exists (select 1 from mentions m where m.post_id = posts.id and m.account_id = ${v.me})`.as("viewer_mentioned"),
    sql<number>`exists (select 1 from blocks b where b.account_id = posts.author_id and b.target_id = ${v.me})`.as("author_blocks"),
  ])
  .where("posts.id", "in", v.ids));

/** The posts of these ids that the viewer may see, by id. */
export async function visiblePosts(db: Db, viewer: Viewer, ids: number[]): Promise<Map<number, Post>> {
  const loaded = await loadWithFacts(db, viewer, ids);
  const visible = new Map<number, Post>();
  for (const [id, { post, facts }] of loaded) if (mayView(viewer, facts)) visible.set(id, post);
  return visible;
}

/** One post if the viewer may see it; null when it does not exist, is deleted or is not for them. */
export async function findVisiblePost(db: Db, viewer: Viewer, id: number): Promise<Post | null> {
  return (await visiblePosts(db, viewer, [id])).get(id) ?? null;
}
