/**
 * Mastodon's Status entity from Kith's stream items. `statusEntities` is the one way the API turns
 * post ids into statuses: the posts pass the audience gate in presentItems first, and only what it
 * lets through is given details and authors.
 */
import type { Db } from "../../../db/open.ts";
import type { Viewer } from "../../../domain/audience.ts";

/** The API acts only for members. */
type MemberViewer = Extract<Viewer, { kind: "member" }>;
import { accountCards, type AccountCard } from "../../../domain/accounts/cards.ts";
import { postDetails, visibleReplyCounts, type PostDetails } from "../../../domain/posts/details.ts";
import { presentItems, type PostView, type StreamItem } from "../../../domain/posts/present.ts";
import { mediaLinkSigner } from "../../../domain/media/appLinks.ts";
import { bookmarkedAmong } from "../../../domain/bookmarks/bookmarks.ts";
import { visibilityOf } from "../visibility.ts";
import { absolute, accountEntity } from "./account.ts";
import { mediaEntity } from "./media.ts";
import { pollEntity } from "./poll.ts";

const iso = (ms: number) => new Date(ms).toISOString();

/** Links in Kith's HTML are paths on the camp; apps need them absolute. */
export const absoluteLinks = (origin: string, html: string) => html.replace(/href="\/(?!\/)/g, `href="${origin}/`);

interface Loaded {
  origin: string;
  sign: (path: string) => string;
  details: Map<number, PostDetails>;
  replies: Map<number, number>;
  bookmarked: Set<number>;
  cards: Map<number, AccountCard>;
}

function postEntity(l: Loaded, post: PostView) {
  const d = l.details.get(post.id);
  const card = l.cards.get(post.author.id);
  const local = post.author.local;
  return {
    id: String(post.id),
    uri: local ? `${l.origin}/posts/${post.id}` : (d?.uri ?? ""),
    url: local ? `${l.origin}/posts/${post.id}` : (d?.url ?? d?.uri ?? null),
    created_at: iso(post.createdAt),
    edited_at: post.editedAt ? iso(post.editedAt) : null,
    account: card ? accountEntity(l.origin, card) : null,
    content: absoluteLinks(l.origin, post.html),
    ...visibilityOf(post.audience),
    sensitive: post.contentWarning !== "",
    spoiler_text: post.contentWarning,
    media_attachments: (d?.media ?? []).map((m) => mediaEntity(l.origin, m, l.sign)),
    application: null,
    mentions: (d?.mentions ?? []).map((m) => ({
      id: String(m.id), username: m.handle, acct: m.domain ? `${m.handle}@${m.domain}` : m.handle,
      url: m.domain ? (m.url ?? "") : `${l.origin}/@${m.handle}`,
    })),
    tags: (d?.tags ?? []).map((name) => ({ name, url: `${l.origin}/tags/${encodeURIComponent(name)}` })),
    emojis: [],
    reblogs_count: post.boosts,
    favourites_count: post.likes,
    replies_count: l.replies.get(post.id) ?? 0,
    in_reply_to_id: post.inReplyTo ? String(post.inReplyTo.id) : null,
    in_reply_to_account_id: post.inReplyTo ? String(post.inReplyTo.author.id) : null,
    reblog: null as unknown,
    poll: post.poll ? pollEntity(post.id, post.poll) : null,
    card: null,
    language: d?.language ?? null,
    text: null,
    favourited: post.likedByMe,
    reblogged: post.boostedByMe,
    muted: false,
    bookmarked: l.bookmarked.has(post.id),
    pinned: false,
    filtered: post.collapsedBy ? [{ filter: { id: "words", title: `Muted word: ${post.collapsedBy}`, context: ["home", "public", "thread"], filter_action: "warn", expires_at: null, keyword_matches: null }, keyword_matches: [post.collapsedBy] }] : [],
  };
}

export type StatusEntity = ReturnType<typeof postEntity>;

function itemEntity(l: Loaded, item: StreamItem): StatusEntity | null {
  const inner = postEntity(l, item.post);
  if (!inner.account) return null;
  if (!item.boostedBy) return inner;
  const booster = l.cards.get(item.boostedBy.id);
  if (!booster) return null;
  return { ...inner, id: String(item.key), uri: `${l.origin}/posts/${item.key}`, url: inner.url, account: accountEntity(l.origin, booster),
    content: "", spoiler_text: "", sensitive: false, media_attachments: [], mentions: [], tags: [], in_reply_to_id: null,
    in_reply_to_account_id: null, reblog: inner, reblogs_count: 0, favourites_count: 0 };
}

/** Statuses already presented through the gate for this member, in the order given. */
export async function itemsToStatuses(db: Db, origin: string, viewerId: number, items: StreamItem[]): Promise<StatusEntity[]> {
  const posts = items.map((i) => i.post);
  const [signer, details, replies, bookmarked, cards] = await Promise.all([
    mediaLinkSigner(db),
    postDetails(db, posts.map((p) => p.id)),
    visibleReplyCounts(db, { kind: "member", accountId: viewerId }, posts.map((p) => p.id)),
    bookmarkedAmong(db, viewerId, posts.map((p) => p.id)),
    accountCards(db, [...posts.map((p) => p.author.id), ...items.flatMap((i) => (i.boostedBy ? [i.boostedBy.id] : []))]),
  ]);
  const loaded = { origin, details, replies, bookmarked, cards, sign: (path: string) => signer(path, viewerId) };
  return items.flatMap((item) => itemEntity(loaded, item) ?? []);
}

/** The statuses with these ids that the member may see, in the order given. */
export async function statusEntities(db: Db, origin: string, viewer: MemberViewer, ids: number[]): Promise<StatusEntity[]> {
  return itemsToStatuses(db, origin, viewer.accountId, await presentItems(db, viewer, ids));
}

/** One status the member may see, or null. */
export async function statusEntity(db: Db, origin: string, viewer: MemberViewer, id: number): Promise<StatusEntity | null> {
  return (await statusEntities(db, origin, viewer, [id]))[0] ?? null;
}
