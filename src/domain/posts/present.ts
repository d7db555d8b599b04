/**
 * Turning a page of post rows into what a page shows, with a fixed number of queries whatever the
 * page size: the gate's facts, authors, avatars, attachments, counts and the viewer's own likes
 * and boosts are each loaded once for the whole page. Posts the gate refuses are left out.
 */
import { sql } from "kysely";
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import type { Audience } from "../../db/schema.ts";
import { audienceForBoost, mayView, type Viewer } from "../audience.ts";
import { listMutedWords, matchingWord } from "../filters/words.ts";
import { bookmarkedAmong } from "../bookmarks/bookmarks.ts";
import { loadPolls, type PollView } from "../polls/view.ts";
import { loadWithFacts } from "./visibility.ts";
import { loadOrigins, type FeedOrigin } from "../feeds/origins.ts";

export interface AuthorView {
  id: number;
  handle: string;
  /** `handle` for members, `handle@domain` for people on other servers. */
  acct: string;
  local: boolean;
  displayName: string;
  avatarUrl: string | null;
  profileUrl: string;
}

export interface AttachmentView {
  url: string;
  alt: string;
}

export interface PostView {
  id: number;
  author: AuthorView;
  audience: Audience;
  contentWarning: string;
  html: string;
  createdAt: number;
  editedAt: number | null;
  /** The post this one answers, when the viewer may see it. */
  inReplyTo: { id: number; author: AuthorView } | null;
  attachments: AttachmentView[];
  likes: number;
  boosts: number;
  likedByMe: boolean;
  boostedByMe: boolean;
  mine: boolean;
  canBoost: boolean;
  /** The viewer saved this post (bookmarks). */
  savedByMe: boolean;
  /** The post's poll, if it carries one. */
  poll: PollView | null;
  /** The muted word that collapses this post for the viewer, if any. */
  collapsedBy: string | null;
  /** The site a feed brought this post in from. */
  origin: FeedOrigin | null;
}

export interface StreamItem {
  /** The id of the row in the stream (the boost's own id for a boost), for anchors and cursors. */
  key: number;
  boostedBy: AuthorView | null;
  post: PostView;
}

export interface PresentOptions {
  /** In a thread, posts with words muted as "hide" are collapsed rather than left out. */
  collapseAllMutedWords?: boolean;
}

/** Authors of a page, with avatar URLs, by account id. */
export async function loadAuthors(db: Db, ids: number[]): Promise<Map<number, AuthorView>> {
  if (ids.length === 0) return new Map();
  const rows = await authorsOf(db, {}, { ids: [...new Set(ids)] });
  return new Map(rows.map((a) => [a.id, {
    id: a.id,
    handle: a.handle,
    acct: a.domain === null ? a.handle : `${a.handle}@${a.domain}`,
    local: a.domain === null,
    displayName: a.display_name || a.handle,
    avatarUrl: a.storage_key ? `/media/${a.storage_key}` : a.domain === null ? null : a.avatar_url,
    // Someone on another server opens their page here, with the follow button and a link to the original.
    profileUrl: a.domain === null ? `/@${a.handle}` : `/remote/${a.id}`,
  }]));
}

/*
 * The queries every page of posts asks, built once per number of ids (see compiledOnce): authors,
 * then likes and boosts (with whether the viewer made one) and attachments.
 */
type PageValues = { ids: number[]; viewerId: number };
const authorsOf = compiledOnce((db: Db, _shape: object, v: { ids: number[] }) => db
  .selectFrom("accounts")
  .leftJoin("media", "media.id", "accounts.avatar_media_id")
  .select(["accounts.id", "accounts.handle", "accounts.domain", "accounts.display_name", "accounts.avatar_url", "accounts.url", "accounts.uri", "media.storage_key"])
  .where("accounts.id", "in", v.ids));
const likesOf = compiledOnce((db: Db, _shape: object, v: PageValues) => db.selectFrom("likes")
  .select(["post_id", sql<number>`count(*)`.as("n"), sql<number>`max(account_id = ${v.viewerId})`.as("mine")])
  .where("post_id", "in", v.ids).groupBy("post_id"));
const boostsOf = compiledOnce((db: Db, _shape: object, v: PageValues) => db.selectFrom("posts")
  .select(["boost_of_id", sql<number>`count(*)`.as("n"), sql<number>`max(author_id = ${v.viewerId})`.as("mine")])
  .where("boost_of_id", "in", v.ids).where("deleted_at", "is", null).groupBy("boost_of_id"));
const mediaOf = compiledOnce((db: Db, _shape: object, v: { ids: number[] }) => db.selectFrom("media")
  .select(["post_id", "storage_key", "remote_url", "alt"]).where("post_id", "in", v.ids).orderBy("post_id").orderBy("position"));

/** Likes and boosts (with whether the viewer made one) and attachments of a page's posts, in three queries. */
async function countsBy(db: Db, ids: number[], viewerId: number) {
  const [likes, boosts, media] = await Promise.all([likesOf(db, {}, { ids, viewerId }), boostsOf(db, {}, { ids, viewerId }), mediaOf(db, {}, { ids })]);
  const attachments = new Map<number, AttachmentView[]>();
  for (const m of media) {
    const url = m.storage_key ? `/media/${m.storage_key}` : m.remote_url;
    if (url) attachments.set(m.post_id!, [...(attachments.get(m.post_id!) ?? []), { url, alt: m.alt }]);
  }
  return {
    likes: new Map(likes.map((r) => [r.post_id, Number(r.n)])),
    boosts: new Map(boosts.map((r) => [r.boost_of_id!, Number(r.n)])),
    liked: new Set(likes.filter((r) => Number(r.mine) === 1).map((r) => r.post_id)),
    boosted: new Set(boosts.filter((r) => Number(r.mine) === 1).map((r) => r.boost_of_id!)),
    attachments,
  };
}

/** The stream items for the posts with these ids that the viewer may see, in the order given. */
export async function presentItems(db: Db, viewer: Viewer, ids: number[], options: PresentOptions = {}): Promise<StreamItem[]> {
  if (ids.length === 0) return [];
  const page = await loadWithFacts(db, viewer, ids);
  const related = [...page.values()].flatMap(({ post }) => [post.boost_of_id, post.in_reply_to_id].filter((id): id is number => id !== null));
  const loaded = new Map([...page, ...(await loadWithFacts(db, viewer, related.filter((id) => !page.has(id))))]);
  // A boosted reply names its parent too, which is two steps from the page: one more query, only when needed.
  const grandparents = [...page.values()].flatMap(({ post }) => {
    const parentId = post.boost_of_id === null ? null : (loaded.get(post.boost_of_id)?.post.in_reply_to_id ?? null);
    return parentId !== null && !loaded.has(parentId) ? [parentId] : [];
  });
  if (grandparents.length > 0) for (const [id, entry] of await loadWithFacts(db, viewer, grandparents)) loaded.set(id, entry);
  const visible = (id: number | null) => {
    const entry = id === null ? undefined : loaded.get(id);
    return entry && mayView(viewer, entry.facts) ? entry.post : null;
  };
  const shown = ids.flatMap((id) => {
    const outer = visible(id);
    const post = outer && (outer.boost_of_id ? visible(outer.boost_of_id) : outer);
    return outer && post ? [{ row: outer, post }] : [];
  });
  // Replies' parents are only named when the viewer may see them.
  const postsOnPage = shown.map((s) => s.post);
  const parentPosts = postsOnPage.flatMap((p) => { const parent = visible(p.in_reply_to_id); return parent ? [parent] : []; });
  const viewerId = viewer.kind === "anonymous" ? -1 : viewer.accountId;
  const [authors, counts, words, saved, polls, origins] = await Promise.all([
    loadAuthors(db, [...shown.map((s) => s.row.author_id), ...postsOnPage.map((p) => p.author_id), ...parentPosts.map((p) => p.author_id)]),
    countsBy(db, postsOnPage.map((p) => p.id), viewerId),
    viewer.kind === "member" ? listMutedWords(db, viewer.accountId) : Promise.resolve([]),
    viewer.kind === "member" ? bookmarkedAmong(db, viewer.accountId, postsOnPage.map((p) => p.id)) : Promise.resolve(new Set<number>()),
    loadPolls(db, viewerId, postsOnPage),
    loadOrigins(db, postsOnPage.map((p) => p.id)),
  ]);
  const collapsing = options.collapseAllMutedWords ? words : words.filter((w) => w.action === "collapse");

  return shown.map(({ row, post }) => {
    const parent = visible(post.in_reply_to_id);
    const text = `${post.content_warning} ${post.source || post.html}`;
    return {
      key: row.id,
      boostedBy: row.boost_of_id ? authors.get(row.author_id)! : null,
      post: {
        id: post.id,
        author: authors.get(post.author_id)!,
        audience: post.audience,
        contentWarning: post.content_warning,
        html: post.html,
        createdAt: post.created_at,
        editedAt: post.edited_at,
        inReplyTo: parent ? { id: parent.id, author: authors.get(parent.author_id)! } : null,
        attachments: counts.attachments.get(post.id) ?? [],
        likes: counts.likes.get(post.id) ?? 0,
        boosts: counts.boosts.get(post.id) ?? 0,
        likedByMe: counts.liked.has(post.id),
        boostedByMe: counts.boosted.has(post.id),
        mine: post.author_id === viewerId,
        canBoost: audienceForBoost(post) !== null,
        savedByMe: saved.has(post.id),
        poll: polls.get(post.id) ?? null,
        collapsedBy: post.author_id === viewerId ? null : matchingWord(collapsing, text),
        origin: origins.get(post.id) ?? null,
      },
    };
  });
}
