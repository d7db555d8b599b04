/**
 * Paging as Mastodon does it (docs: "Paginating through API responses", and its Paginable concern):
 * `max_id` gives the items older than it; `since_id` the newest items newer than it (a gap may stay
 * below them); `min_id` the items immediately newer than it (read oldest first, still answered
 * newest first), which is how apps page upward through the Link header's `prev`. Kith's streams page
 * downward only, by a keyset cursor on ids, so pageOf reads downward pages and cuts them to the window.
 */
import type { Context } from "hono";
import type { ApiEnv } from "./env.ts";

export interface Paging {
  maxId: number | null;
  sinceId: number | null;
  minId: number | null;
  limit: number;
}

/** One page read downward: items newest first, and the cursor of the next (older) page, or null at the end. */
export type ReadDown<T> = (before: number | null, limit: number) => Promise<{ items: T[]; next: number | null }>;

/**
 * How far pageOf reads down. With min_id it walks from the top (or max_id) down to min_id, so an app
 * catching up after a long absence costs one query per page it missed; past this many pages it
 * answers the oldest items it reached (the Link header still pages on from there).
 */
const MIN_ID_WALK_PAGES = 50;
/** Without min_id, reading goes on while a filter (types, exclude_replies...) leaves the page short. */
const FILL_PAGES = 10;

/** An id: 0 too, which apps send to page up from the very start (min_id=0). */
const ID = /^(0|[1-9]\d{0,15})$/;

/** The paging parameters, or an error message when one is not an id or the limit is not a number. */
export function readPaging(c: Context<ApiEnv>, defaultLimit = 20, maxLimit = 40): Paging | string {
  const id = (name: string): number | null | string => {
    const value = c.req.query(name);
    if (value === undefined || value === "") return null;
    return ID.test(value) ? Number(value) : `${name} must be the id of an item (a string of digits)`;
  };
  const maxId = id("max_id");
  const sinceId = id("since_id");
  const minId = id("min_id");
  for (const v of [maxId, sinceId, minId]) if (typeof v === "string") return v;
  const rawLimit = c.req.query("limit");
  if (rawLimit !== undefined && rawLimit !== "" && !/^\d{1,4}$/.test(rawLimit)) return "limit must be a number";
  const limit = rawLimit ? Math.min(Math.max(Number(rawLimit), 1), maxLimit) : defaultLimit;
  return { maxId: maxId as number | null, sinceId: sinceId as number | null, minId: minId as number | null, limit };
}

/** The items of the page the paging asks for, newest first (see the top of this file). */
export async function pageOf<T>(paging: Paging, read: ReadDown<T>, idOf: (item: T) => number): Promise<T[]> {
  // Items must be newer than both since_id and min_id; min_id also asks for the window right above it.
  const floor = Math.max(paging.sinceId ?? 0, paging.minId ?? 0);
  const fromFloor = paging.minId !== null;
  let before = paging.maxId;
  let kept: T[] = [];
  for (let pages = 0; pages < (fromFloor ? MIN_ID_WALK_PAGES : FILL_PAGES); pages++) {
    const page = await read(before, paging.limit);
    const newer = page.items.filter((item) => idOf(item) > floor);
    // Downward pages come newest first: from the floor the oldest `limit` are kept, else the newest.
    kept = fromFloor ? [...kept, ...newer].slice(-paging.limit) : [...kept, ...newer].slice(0, paging.limit);
    if (page.next === null || page.next <= floor || (!fromFloor && kept.length >= paging.limit)) break;
    before = page.next;
  }
  return kept;
}

/** A downward page from a query that returns up to `limit + 1` rows newest first (the extra one says there is more). */
export function pageFromRows<T>(rows: T[], limit: number, idOf: (row: T) => number): { items: T[]; next: number | null } {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? idOf(items[items.length - 1]!) : null };
}

/** Sets the Link header for a page whose items have these ids (newest first). */
export function setLinkHeader(c: Context<ApiEnv>, ids: number[], origin: string): void {
  if (ids.length === 0) return;
  const url = new URL(c.req.path, origin);
  for (const [k, v] of new URL(c.req.url).searchParams) if (!["max_id", "since_id", "min_id"].includes(k)) url.searchParams.set(k, v);
  const at = (name: string, id: number) => {
    const u = new URL(url);
    u.searchParams.set(name, String(id));
    return u.toString();
  };
  c.header("link", `<${at("max_id", ids[ids.length - 1]!)}>; rel="next", <${at("min_id", ids[0]!)}>; rel="prev"`);
}
