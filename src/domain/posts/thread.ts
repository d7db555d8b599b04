/**
 * A whole conversation: the root and every reply, in the order written, arranged as a tree. Each
 * post passes the gate on its own; a reply whose parent the viewer may not see hangs from the
 * nearest visible ancestor, or from the top.
 */
import type { SelectQueryBuilder } from "kysely";
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import { notFromBlocked, type Viewer } from "../audience.ts";
import { presentItems, type PostView } from "./present.ts";
import { findVisiblePost } from "./visibility.ts";

export interface ThreadNode {
  post: PostView;
  replies: ThreadNode[];
}

export interface Thread {
  focus: PostView;
  roots: ThreadNode[];
  /** The conversation's first post, and its newest (seen or not), for following it live. */
  rootId: number;
  newestId: number;
}

type ThreadValues = { rootId: number; focusId: number; me: number };

/** A member does not see posts from accounts or domains they blocked, except the one they opened. */
function shownTo<Q extends SelectQueryBuilder<Database, "posts", object>>(query: Q, member: boolean, v: ThreadValues): Q {
  return member ? query.where((eb) => eb.or([eb("posts.id", "=", v.focusId), notFromBlocked(v.me)])) as Q : query;
}

/*
 * Two index lookups (the root by id, replies by posts_thread); an OR of both would scan every post.
 * Only ids and parents: presentItems loads the posts themselves. Built once (see compiledOnce).
 */
const threadRoot = compiledOnce((db: Db, shape: { member: boolean }, v: ThreadValues) =>
  shownTo(db.selectFrom("posts").select(["id", "in_reply_to_id"]).where("id", "=", v.rootId).where("boost_of_id", "is", null), shape.member, v));
const threadReplies = compiledOnce((db: Db, shape: { member: boolean }, v: ThreadValues) =>
  shownTo(db.selectFrom("posts").select(["id", "in_reply_to_id"]).where("thread_root_id", "=", v.rootId).where("boost_of_id", "is", null).orderBy("id"), shape.member, v));

/** The thread around a post, or null when the viewer may not see that post. Boosts lead to the boosted post. */
export async function loadThread(db: Db, viewer: Viewer, postId: number): Promise<Thread | null> {
  let focus = await findVisiblePost(db, viewer, postId);
  if (focus?.boost_of_id) focus = await findVisiblePost(db, viewer, focus.boost_of_id);
  if (!focus) return null;
  const rootId = focus.thread_root_id ?? focus.id;
  const values = { rootId, focusId: focus.id, me: viewer.kind === "member" ? viewer.accountId : 0 };
  const shape = { member: viewer.kind === "member" };
  const [root, replies] = await Promise.all([threadRoot(db, shape, values), threadReplies(db, shape, values)]);
  const rows = [...root, ...replies];
  const items = await presentItems(db, viewer, rows.map((r) => r.id), { collapseAllMutedWords: true });
  const nodes = new Map(items.map((item) => [item.post.id, { post: item.post, replies: [] as ThreadNode[] }]));
  const parentOf = new Map(rows.map((r) => [r.id, r.in_reply_to_id]));
  const roots: ThreadNode[] = [];
  for (const node of nodes.values()) {
    let parent = parentOf.get(node.post.id) ?? null;
    while (parent !== null && !nodes.has(parent)) parent = parentOf.get(parent) ?? null;
    if (parent === null) roots.push(node);
    else nodes.get(parent)!.replies.push(node);
  }
  return { focus: nodes.get(focus.id)!.post, roots, rootId, newestId: Math.max(...rows.map((r) => r.id)) };
}
