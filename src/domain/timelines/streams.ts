/**
 * The streams, all newest first and never ranked: Home, Camp, a profile's posts and a tag's posts.
 * Paging is by a keyset cursor on posts.id ("older than this id"), never OFFSET, so posts written
 * while someone pages cannot shift a page: no duplicates and no gaps. Every stream asks the
 * audience gate's SQL rule which posts the viewer may see, then the member's own filters.
 */
import { sql } from "kysely";
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import { anonymous, visibleTo, type Viewer } from "../audience.ts";
import { notFilteredFor } from "../filters/streamFilter.ts";
import { presentItems, type StreamItem } from "../posts/present.ts";
import { notInExclusiveLists } from "../lists/exclusive.ts";
import { followedTagIdsQuery, followsAnyTag } from "../tags/follow.ts";

export const PAGE_SIZE = 20;

export interface StreamPage {
  items: StreamItem[];
  /** The cursor for the next (older) page, or null at the end. */
  next: number | null;
}

/**
 * Post ids the viewer may see, newest first. SQLite's CROSS JOIN keeps posts as the outer loop, so
 * the keyset order comes straight from an index instead of sorting every post of an author.
 */
function visiblePostIds(db: Db, viewer: Viewer, before: number | null) {
  let query = db
    .selectFrom("posts")
    .crossJoin("accounts as authors")
    .whereRef("authors.id", "=", "posts.author_id")
    .select("posts.id")
    .where(visibleTo(viewer));
  if (before !== null) query = query.where("posts.id", "<", before);
  return query;
}

const filtered = (viewer: Viewer) => (viewer.kind === "member" ? notFilteredFor(viewer.accountId) : null);

/**
 * The streams' id queries are built once per shape (see compiledOnce): the viewer's kind is the
 * shape, their account a value. These turn one back into a Viewer while a query is built.
 */
type ViewerShape = { kind: Viewer["kind"]; paged: boolean };
const shapeOf = (viewer: Viewer, before: number | null): ViewerShape => ({ kind: viewer.kind, paged: before !== null });
const viewerId = (viewer: Viewer) => (viewer.kind === "anonymous" ? -1 : viewer.accountId);
const viewerFrom = (kind: Viewer["kind"], me: number): Viewer => (kind === "anonymous" ? anonymous : { kind, accountId: me });

/** Loads and presents one page from ids in stream order (one more than the page, to know if there is a next). */
async function pageOf(db: Db, viewer: Viewer, ids: number[], limit: number): Promise<StreamPage> {
  const pageIds = ids.slice(0, limit);
  return { items: await presentItems(db, viewer, pageIds), next: ids.length > limit ? pageIds[pageIds.length - 1]! : null };
}

/** The newest `count` of two lists of ids, each newest first, without repeats. */
const newestFirst = (a: number[], b: number[], count: number) => [...new Set([...a, ...b])].sort((x, y) => y - x).slice(0, count);

/** How many ids back Home looks first, per post on the page; the window grows fourfold until it holds a page. */
const HOME_WINDOW_PER_POST = 8;

/**
 * The ids query behind Home for one window of post ids [lower, upper): posts of the member and of
 * everyone they follow. The first window, about a page wide, is dense: it is read by id, newest
 * first, and stops once it holds a page, so the audience and filter checks run on a page's worth of
 * rows. A widened window means sparse follows: it is read through posts_author instead (one range
 * per person), so it never reads everyone else's posts. The unary + keeps SQLite off posts_author.
 */
export function homeIdsQuery(db: Db, memberId: number, upper: number, lower: number, limit: number) {
  const { shape, values } = homeWindow(memberId, upper, lower, limit);
  return homeIdsBuilder(db, shape, values);
}

/** The shape and values of Home's ids query for one window (whether it is read by id is the shape). */
function homeWindow(memberId: number, upper: number, lower: number, limit: number) {
  return { shape: { byId: upper - lower <= (limit + 1) * HOME_WINDOW_PER_POST }, values: { memberId, upper, lower, limitPlusOne: limit + 1 } };
}

function homeIdsBuilder(db: Db, shape: { byId: boolean }, v: { memberId: number; upper: number; lower: number; limitPlusOne: number }) {
  const viewer: Viewer = { kind: "member", accountId: v.memberId };
  return visiblePostIds(db, viewer, v.upper)
    .where("posts.id", ">=", v.lower)
    .where(shape.byId ? sql<number>`+posts.author_id` : sql<number>`posts.author_id`, "in", (eb) =>
      eb.selectFrom("follows").select("followee_id").where("follower_id", "=", v.memberId).where("state", "=", "accepted")
        .where(notInExclusiveLists(v.memberId))
        .unionAll(db.selectNoFrom(sql<number>`${v.memberId}`.as("followee_id"))))
    .where(notFilteredFor(v.memberId))
    .orderBy("posts.id", "desc")
    .limit(v.limitPlusOne);
}

const homeIds = compiledOnce(homeIdsBuilder);
const newestPostId = compiledOnce((db: Db, _shape: object, _values: object) => db.selectFrom("posts").select((eb) => eb.fn.max("id").as("id")));

/**
 * Home: my posts and boosts, and those of everyone I follow (members and remote accounts alike),
 * and the posts of tags I follow, minus my filters and the people of my exclusive lists. It looks at a window of recent ids first and widens it only when the window
 * holds less than a page, so a busy camp never reads further back than one page needs. The newest
 * page in a window is the newest page overall, since every id outside it is older.
 */
export async function homeStream(db: Db, memberId: number, before: number | null, limit = PAGE_SIZE): Promise<StreamPage> {
  let upper = before;
  if (upper === null) {
    const [newest] = await newestPostId(db, {}, {});
    upper = Number(newest?.id ?? 0) + 1;
  }
  let ids: number[] = [];
  const tags = await followsAnyTag(db, memberId);
  for (let window = (limit + 1) * HOME_WINDOW_PER_POST; ; window *= 4) {
    const lower = Math.max(0, upper - window);
    const { shape, values } = homeWindow(memberId, upper, lower, limit);
    ids = (await homeIds(db, shape, values)).map((r) => r.id);
    if (tags) ids = newestFirst(ids, (await followedTagIdsQuery(db, memberId, upper, lower, limit).execute()).map((r) => r.id), limit + 1);
    if (ids.length > limit || lower === 0) break;
  }
  return pageOf(db, { kind: "member", accountId: memberId }, ids, limit);
}

/** Camp: everything members of this camp wrote that I may see (not boosts, which would repeat posts). */
export async function campStream(db: Db, viewer: Viewer, before: number | null, limit = PAGE_SIZE): Promise<StreamPage> {
  const ids = (await campIds(db, shapeOf(viewer, before), { me: viewerId(viewer), before: before ?? 0, limitPlusOne: limit + 1 })).map((r) => r.id);
  return pageOf(db, viewer, ids, limit);
}

const campIds = compiledOnce((db: Db, shape: ViewerShape, v: { me: number; before: number; limitPlusOne: number }) => {
  const viewer = viewerFrom(shape.kind, v.me);
  let query = visiblePostIds(db, viewer, shape.paged ? v.before : null).where("authors.domain", "is", null).where("posts.boost_of_id", "is", null);
  const notFiltered = filtered(viewer);
  if (notFiltered) query = query.where(notFiltered);
  return query.orderBy("posts.id", "desc").limit(v.limitPlusOne);
});

/** A person's posts and boosts, as the viewer may see them (muting does not hide a profile one opened). */
export async function profileStream(db: Db, viewer: Viewer, accountId: number, before: number | null, limit = PAGE_SIZE): Promise<StreamPage> {
  const values = { me: viewerId(viewer), accountId, before: before ?? 0, limitPlusOne: limit + 1 };
  const ids = (await profileIds(db, shapeOf(viewer, before), values)).map((r) => r.id);
  return pageOf(db, viewer, ids, limit);
}

const profileIds = compiledOnce((db: Db, shape: ViewerShape, v: { me: number; accountId: number; before: number; limitPlusOne: number }) =>
  visiblePostIds(db, viewerFrom(shape.kind, v.me), shape.paged ? v.before : null).where("posts.author_id", "=", v.accountId)
    .orderBy("posts.id", "desc").limit(v.limitPlusOne));

/** Ids of posts carrying a tag that the viewer may see, read through the tag's index. */
export function visibleTaggedPostIds(db: Db, viewer: Viewer, tag: string) {
  return db
    .selectFrom("post_tags")
    .crossJoin("posts")
    .whereRef("posts.id", "=", "post_tags.post_id")
    .innerJoin("accounts as authors", "authors.id", "posts.author_id")
    .select("posts.id")
    .where("post_tags.tag", "=", tag)
    .where(visibleTo(viewer));
}

/** Posts with a tag, as the viewer may see them, minus the viewer's filters. Walks the tag's index, newest first. */
export async function tagStream(db: Db, viewer: Viewer, tag: string, before: number | null, limit = PAGE_SIZE): Promise<StreamPage> {
  let query = visibleTaggedPostIds(db, viewer, tag);
  if (before !== null) query = query.where("post_tags.post_id", "<", before);
  const notFiltered = filtered(viewer);
  if (notFiltered) query = query.where(notFiltered);
  const ids = (await query.orderBy("post_tags.post_id", "desc").limit(limit + 1).execute()).map((r) => r.id);
  return pageOf(db, viewer, ids, limit);
}
