/**
 * Searching posts: the FTS5 index finds the matching posts, the audience gate's SQL rule
 * (`visibleTo`) keeps only those the viewer may see, in the same query, and bm25 ranks them with
 * the newest first among equals. Filters narrow by author, tag, date, own posts and images.
 *
 * Ranking every match of a common word costs time in proportion to the matches (a word in a fifth
 * of 500,000 posts: hundreds of ms). So matches are ranked in windows of the newest RANK_WINDOW
 * matches (a window costs in proportion to its size): a query with fewer matches is ranked as a
 * whole; a common word shows the best of the recent matches first, then the best of the next older
 * window, and so on. Windows are counted
 * from the newest id downwards, so new posts never move a later page's window. Pages follow a
 * keyset cursor on (window, rank, date, id): no match repeats between pages while the index holds
 * still (an edit or a new post can shift ranks a little, as in any ranked search).
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import { notFromBlocked, visibleTo, type Viewer } from "../audience.ts";
import { presentItems, type StreamItem } from "../posts/present.ts";
import type { SearchTerms } from "./terms.ts";

export const SEARCH_PAGE_SIZE = 20;
/** How many matches are ranked together; see above. */
export const RANK_WINDOW = 500;

export interface PostFilters {
  /** Only posts by this account. */
  authorId?: number | null;
  /** Only posts with this (normalized) tag. */
  tag?: string | null;
  /** Only posts written before this time (ms). */
  before?: number | null;
  /** Only posts written at or after this time (ms). */
  after?: number | null;
  /** Only the viewer's own posts (members only). */
  onlyMine?: boolean;
  /** Only posts with images. */
  withImages?: boolean;
}

/** A stretch of a snippet; `hit` marks the words that matched. Views escape `text` like any text. */
export interface SnippetPart {
  text: string;
  hit: boolean;
}

export interface SearchHit {
  item: StreamItem;
  snippet: SnippetPart[];
}

export interface PostSearchPage {
  hits: SearchHit[];
  /** The cursor for the next page, or null at the end. */
  next: string | null;
}

interface Cursor {
  /** The window's upper end (exclusive rowid). */
  upper: number;
  score: number;
  createdAt: number;
  id: number;
}

/** Characters that cannot appear in what FTS5 gives back except as our own markers (they are stripped from text). */
const OPEN = "\u0001";
const CLOSE = "\u0002";
const SNIPPET_TOKENS = 24;
const PLAIN_SNIPPET = 240;

/** A cursor as the page carries it: "upper_score_createdAt_id"; anything else reads as the first page. */
export function parseSearchCursor(value: string | null | undefined): Cursor | null {
  const parts = (value ?? "").split("_");
  if (parts.length !== 4) return null;
  const [upper, score, createdAt, id] = parts.map(Number) as [number, number, number, number];
  if (!Number.isSafeInteger(upper) || !Number.isFinite(score) || !Number.isSafeInteger(createdAt) || !Number.isSafeInteger(id) || id < 1) return null;
  return { upper, score, createdAt, id };
}

type Row = { score: number; created_at: number; id: number; snippet: string };
const cursorOf = (row: Row & { upper: number }) => `${row.upper}_${row.score}_${row.created_at}_${row.id}`;

/** Splits FTS5's marked snippet into parts; stray markers (from the text itself) are dropped, never trusted. */
export function snippetParts(marked: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const piece of marked.split(OPEN)) {
    const close = piece.indexOf(CLOSE);
    const [hit, rest] = close === -1 ? ["", piece] : [piece.slice(0, close), piece.slice(close + 1)];
    if (hit) parts.push({ text: hit.replaceAll(CLOSE, ""), hit: true });
    if (rest) parts.push({ text: rest.replaceAll(CLOSE, ""), hit: false });
  }
  return parts;
}

type Scope = ExpressionBuilder<Database & { authors: Database["accounts"] }, "posts" | "authors">;

function filtersOf(viewer: Viewer, filters: PostFilters) {
  return (eb: Scope): Expression<SqlBool> => {
    const all: Expression<SqlBool>[] = [];
    if (filters.authorId != null) all.push(eb("posts.author_id", "=", filters.authorId));
    if (filters.onlyMine) all.push(eb("posts.author_id", "=", viewer.kind === "anonymous" ? -1 : viewer.accountId));
    if (filters.before != null) all.push(eb("posts.created_at", "<", filters.before));
    if (filters.after != null) all.push(eb("posts.created_at", ">=", filters.after));
    if (filters.tag) all.push(sql<SqlBool>`exists (select 1 from post_tags t where t.post_id = posts.id and t.tag = ${filters.tag})`);
    if (filters.withImages) all.push(sql<SqlBool>`exists (select 1 from media m where m.post_id = posts.id)`);
    // A member's blocked domains apply to search as to every stream they read.
    if (viewer.kind === "member") all.push(notFromBlocked(viewer.accountId));
    return eb.and(all);
  };
}

/** The lower end (inclusive rowid) of the window of RANK_WINDOW matches below `upper`; 0 when fewer are left. */
async function windowFloor(db: Db, match: string, upper: number, size: number): Promise<number> {
  const row = await db.selectFrom("posts_fts").select("rowid").where("posts_fts", "match", match).where("rowid", "<", upper)
    .orderBy("rowid", "desc").limit(1).offset(size - 1).executeTakeFirst();
  return row?.rowid ?? 0;
}

/**
 * The ids query for one window [lower, upper) of matches: those the viewer may see, best first.
 * posts_fts leads the join (CROSS JOIN keeps it outermost), so SQLite starts from the index's
 * matches in the window, never from the posts table.
 */
export function searchIdsQuery(
  db: Db, viewer: Viewer, match: string, filters: PostFilters, window: { lower: number; upper: number },
  after: Omit<Cursor, "upper"> | null, limit: number,
) {
  const score = sql<number>`bm25(posts_fts)`;
  let query = db
    .selectFrom("posts_fts")
    .crossJoin("posts")
    .whereRef("posts.id", "=", "posts_fts.rowid")
    .innerJoin("accounts as authors", "authors.id", "posts.author_id")
    .select(["posts.id", "posts.created_at", score.as("score"),
      sql<string>`snippet(posts_fts, -1, ${OPEN}, ${CLOSE}, '…', ${SNIPPET_TOKENS})`.as("snippet")])
    .where("posts_fts", "match", match)
    .where("posts_fts.rowid", ">=", window.lower)
    .where("posts_fts.rowid", "<", window.upper)
    .where(visibleTo(viewer))
    .where(filtersOf(viewer, filters));
  if (after) {
    query = query.where((eb) => eb.or([
      eb(score, ">", after.score),
      eb.and([eb(score, "=", after.score), eb.or([
        eb("posts.created_at", "<", after.createdAt),
        eb.and([eb("posts.created_at", "=", after.createdAt), eb("posts.id", "<", after.id)]),
      ])]),
    ]));
  }
  return query.orderBy("score").orderBy("posts.created_at", "desc").orderBy("posts.id", "desc").limit(limit + 1);
}

/** Posts matching only filters (no words): the newest first, with the start of their text. */
function filteredIdsQuery(db: Db, viewer: Viewer, filters: PostFilters, after: Cursor | null, limit: number) {
  let query = db
    .selectFrom("posts")
    .innerJoin("accounts as authors", "authors.id", "posts.author_id")
    .select(["posts.id", "posts.created_at", sql<number>`0`.as("score"),
      sql<string>`substr(posts.content_warning || ' ' || posts.source, 1, ${PLAIN_SNIPPET})`.as("snippet")])
    .where("posts.boost_of_id", "is", null)
    .where(visibleTo(viewer))
    .where(filtersOf(viewer, filters));
  if (after) {
    query = query.where((eb) => eb.or([
      eb("posts.created_at", "<", after.createdAt),
      eb.and([eb("posts.created_at", "=", after.createdAt), eb("posts.id", "<", after.id)]),
    ]));
  }
  return query.orderBy("posts.created_at", "desc").orderBy("posts.id", "desc").limit(limit + 1);
}

/** Ranked matches from the cursor's window on, window after window, until a page is full or none are left. */
async function rankedRows(db: Db, viewer: Viewer, match: string, filters: PostFilters, cursor: Cursor | null, limit: number, windowSize: number) {
  const rows: (Row & { upper: number })[] = [];
  let upper = cursor?.upper ?? Number.MAX_SAFE_INTEGER;
  let after: Omit<Cursor, "upper"> | null = cursor;
  for (;;) {
    const lower = await windowFloor(db, match, upper, windowSize);
    const found = await searchIdsQuery(db, viewer, match, filters, { lower, upper }, after, limit - rows.length).execute();
    rows.push(...found.map((row) => ({ ...row, upper })));
    if (rows.length > limit || lower === 0) return rows;
    upper = lower;
    after = null;
  }
}

/** One page of posts the viewer may see that match the words (when any) and the filters. */
export async function searchPosts(
  db: Db, viewer: Viewer, terms: SearchTerms, filters: PostFilters, cursor: string | null, limit = SEARCH_PAGE_SIZE, windowSize = RANK_WINDOW,
): Promise<PostSearchPage> {
  const after = parseSearchCursor(cursor);
  const rows = terms.match
    ? await rankedRows(db, viewer, terms.match, filters, after, limit, windowSize)
    : (await filteredIdsQuery(db, viewer, filters, after, limit).execute()).map((row) => ({ ...row, upper: 0 }));
  const page = rows.slice(0, limit);
  const items = new Map((await presentItems(db, viewer, page.map((r) => r.id))).map((item) => [item.post.id, item]));
  const hits = page.flatMap((row) => {
    const item = items.get(row.id);
    return item ? [{ item, snippet: snippetParts(row.snippet.trim()) }] : [];
  });
  return { hits, next: rows.length > limit ? cursorOf(page[page.length - 1]!) : null };
}
