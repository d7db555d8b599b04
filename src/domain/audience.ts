/**
 * THE one place that decides who may see a post and what may leave the server.
 *
 * Every page, stream, remote fetch, collection and delivery asks here. The rule exists twice,
 * once in memory (`mayView`) and once as SQL (`visibleTo`) for streams; a table test runs both
 * over every audience and kind of viewer so they cannot drift. Unclear cases fail closed.
 */
import { type ExpressionBuilder, type Expression, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Audience, Database } from "../db/schema.ts";

export const AUDIENCES: readonly Audience[] = ["camp", "followers", "unlisted", "public", "direct"];
export const DEFAULT_AUDIENCE: Audience = "camp";

/** Who is looking. Remote actors are identified by a verified signature; a suspended member looks as a stranger. */
export type Viewer =
  | { kind: "anonymous" }
  | { kind: "member"; accountId: number }
  | { kind: "remote"; accountId: number };

export const anonymous: Viewer = { kind: "anonymous" };

/** What the rule needs to know about one post and its relation to the viewer. */
export interface PostFacts {
  authorId: number;
  audience: Audience;
  deleted: boolean;
  authorSuspended: boolean;
  /** The viewer's follow of the author is accepted. */
  viewerFollowsAuthor: boolean;
  viewerIsMentioned: boolean;
  /** The author blocks the viewer. */
  authorBlocksViewer: boolean;
}

export function isAudience(value: string): value is Audience {
  return (AUDIENCES as readonly string[]).includes(value);
}

/** May this viewer see this post? */
export function mayView(viewer: Viewer, post: PostFacts): boolean {
  if (post.deleted || post.authorSuspended) return false;
  const viewerId = viewer.kind === "anonymous" ? null : viewer.accountId;
  if (viewerId === post.authorId) return true;
  if (post.authorBlocksViewer) return false;
  switch (post.audience) {
    case "public":
    case "unlisted":
      return true;
    case "camp":
      return viewer.kind === "member";
    case "followers":
      return viewerId !== null && (post.viewerFollowsAuthor || post.viewerIsMentioned);
    case "direct":
      return viewerId !== null && post.viewerIsMentioned;
    default:
      return false;
  }
}

/**
 * The same rule as SQL, over a query that has the post as `posts` and its author as `authors`
 * (an alias of `accounts`). `viewer` must come from a live session or a verified signature.
 */
export function visibleTo(viewer: Viewer) {
  return visibleRule(viewer, false);
}

/**
 * The same rule for a post that may since have been deleted: would the viewer have seen it? Only
 * for telling a reader that a post they may hold is gone (a deletion shows nothing but its id).
 */
export function wasVisibleTo(viewer: Viewer) {
  return visibleRule(viewer, true);
}

function visibleRule(viewer: Viewer, evenDeleted: boolean) {
  return (eb: ExpressionBuilder<Database & { authors: Database["accounts"] }, "posts" | "authors">): Expression<SqlBool> => {
    const alive = evenDeleted ? eb("authors.suspended_at", "is", null) : eb.and([eb("posts.deleted_at", "is", null), eb("authors.suspended_at", "is", null)]);
    if (viewer.kind === "anonymous") {
      return eb.and([alive, eb("posts.audience", "in", ["public", "unlisted"])]);
    }
    const me = viewer.accountId;
    const mentioned = sql<SqlBool>`exists (select 1 from mentions m where m.post_id = posts.id and m.account_id = ${me})`;
    const follows = sql<SqlBool>`exists (select 1 from follows f where f.follower_id = ${me} and f.followee_id = posts.author_id and f.state = 'accepted')`;
    const blocked = sql<SqlBool>`exists (select 1 from blocks b where b.account_id = posts.author_id and b.target_id = ${me})`;
    const byAudience = eb.or([
      eb("posts.audience", "in", ["public", "unlisted"]),
      ...(viewer.kind === "member" ? [eb("posts.audience", "=", "camp")] : []),
      eb.and([eb("posts.audience", "=", "followers"), eb.or([follows, mentioned])]),
      eb.and([eb("posts.audience", "=", "direct"), mentioned]),
    ]);
    return eb.and([alive, eb.or([eb("posts.author_id", "=", me), eb.and([eb.not(blocked), byAudience])])]);
  };
}

/**
 * True when the member blocked the account (an id expression) or its whole domain. Blocking someone
 * hides them from the blocker as well as the blocker from them (the audience gate's `authorBlocksViewer`),
 * as on Mastodon.
 */
function blockedBy(memberId: number, accountId: RawBuilder<unknown>) {
  return sql<SqlBool>`(
    exists (select 1 from blocks bl where bl.account_id = ${memberId} and bl.target_id = ${accountId})
    or exists (select 1 from accounts a join member_domain_blocks d on d.domain = a.domain where a.id = ${accountId} and d.account_id = ${memberId}))`;
}

/** No posts by accounts the member blocked (one by one or by domain), and no boosts of them. */
export function notFromBlocked(memberId: number): Expression<SqlBool> {
  return sql<SqlBool>`(
    not ${blockedBy(memberId, sql.ref("posts.author_id"))}
    and (posts.boost_of_id is null
      or not ${blockedBy(memberId, sql`(select o.author_id from posts o where o.id = posts.boost_of_id)`)})
  )`;
}

/** The account (an id column such as `actors.id`) is not one the member blocked, alone or by domain: for notifications. */
export function accountNotBlocked(memberId: number, accountIdColumn: string): Expression<SqlBool> {
  return sql<SqlBool>`not ${blockedBy(memberId, sql.ref(accountIdColumn))}`;
}

/**
 * The audiences a feed source may give the posts it imports: a direct post reaches only the people
 * it mentions, and an imported entry mentions no one, so direct is not offered.
 */
export const FEED_SOURCE_AUDIENCES: readonly Audience[] = AUDIENCES.filter((a) => a !== "direct");

/** Posts of this audience never leave the server in any form. */
export function staysInCamp(audience: Audience): boolean {
  return audience === "camp";
}

/** A reply cannot take a camp-only conversation outside: a reply to a camp-only post is camp-only. */
export function audienceForReply(parent: Audience, chosen: Audience): Audience {
  return staysInCamp(parent) ? "camp" : chosen;
}

/**
 * The audience of a boost, or null when the post may not be boosted. Camp-only posts can be
 * boosted inside the camp; followers-only and direct posts are not shared further by anyone else.
 */
export function audienceForBoost(post: { audience: Audience }): Audience | null {
  switch (post.audience) {
    case "camp":
      return "camp";
    case "public":
    case "unlisted":
      return "public";
    default:
      return null;
  }
}

/** How wide each audience reaches, for telling an author that an edit widens it. Direct is narrowest. */
const REACH: Record<Audience, number> = { direct: 0, followers: 1, camp: 1, unlisted: 2, public: 3 };

/** True when going from `before` to `after` would show the post to someone who could not see it. */
export function widens(before: Audience, after: Audience): boolean {
  if (before === after) return false;
  // Camp and followers reach different people, so moving between them widens either way.
  return REACH[after] >= REACH[before];
}

declare const federatable: unique symbol;
/** A post the gate has let out. Only this type can be turned into ActivityPub. */
export type FederatablePost<P> = P & { readonly [federatable]: true };

/**
 * May this post (or its edit, deletion, boost or like) leave the server at all? Camp-only posts
 * never do: no delivery, no fetch, no collection, no feed, no Update, no Delete.
 */
export function mayLeaveServer<P extends { audience: Audience }>(
  post: P,
  author: { suspended_at: number | null },
): post is FederatablePost<P> {
  return !staysInCamp(post.audience) && author.suspended_at === null;
}

/**
 * The audiences whose posts reach people who follow a tag (in their Home), as the issue of tag
 * following sets it: public and camp posts. The viewer must still be allowed to see each one.
 */
export const TAG_FOLLOW_AUDIENCES: readonly Audience[] = ["public", "camp"];

/** The audiences anyone may see; public collections (outbox, featured, feeds, counts) list only these. */
export const PUBLICLY_LISTED: readonly Audience[] = ["public", "unlisted"];

/** Public collections (outbox, featured, feeds) list only posts anyone may see. */
export function mayListPublicly(audience: Audience): boolean {
  return PUBLICLY_LISTED.includes(audience);
}

/** Where a federatable post is addressed: which of the public, the followers and the mentioned go in `to` or `cc`. */
export interface Addressing {
  public: "to" | "cc" | null;
  followers: "to" | "cc" | null;
  mentioned: "to" | "cc";
}

/** The addressing of each audience that may leave, following Mastodon's conventions for the same visibilities. */
export function addressingOf(post: FederatablePost<{ audience: Audience }>): Addressing {
  return addressingFor(post.audience);
}

/**
 * The addressing a member's own archive records for a post of any audience; a camp-only post
 * names no collection (as a direct one). For the archive only: nothing addressed this way is sent.
 */
export function archivedAddressingOf(audience: Audience): Addressing {
  return addressingFor(audience);
}

function addressingFor(audience: Audience): Addressing {
  switch (audience) {
    case "public":
      return { public: "to", followers: "cc", mentioned: "cc" };
    case "unlisted":
      return { public: "cc", followers: "to", mentioned: "cc" };
    case "followers":
      return { public: null, followers: "to", mentioned: "cc" };
    default:
      return { public: null, followers: null, mentioned: "to" };
  }
}
