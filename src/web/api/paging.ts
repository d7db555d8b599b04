/**
 * Paging as Mastodon does it: `max_id` (older than), `since_id` and `min_id` (newer than), `limit`,
 * and a Link header with the next (older) and previous (newer) pages. Kith's streams page by a
 * keyset cursor on ids, which is `max_id`; newer-than is the newest page cut at the id.
 */
import type { Context } from "hono";
import type { ApiEnv } from "./env.ts";

export interface Paging {
  maxId: number | null;
  /** since_id or min_id: only items newer than this. */
  newerThan: number | null;
  limit: number;
}

const ID = /^[1-9]\d{0,15}$/;

/** The paging parameters, or an error message when one is not an id or the limit is not a number. */
export function readPaging(c: Context<ApiEnv>, defaultLimit = 20, maxLimit = 40): Paging | string {
  const id = (name: string): number | null | string => {
    const value = c.req.query(name);
    if (value === undefined || value === "") return null;
    return ID.test(value) ? Number(value) : `${name} must be the id of an item (a string of digits)`;
  };
  const maxId = id("max_id");
  const since = id("since_id");
  const min = id("min_id");
  for (const v of [maxId, since, min]) if (typeof v === "string") return v;
  const rawLimit = c.req.query("limit");
  if (rawLimit !== undefined && rawLimit !== "" && !/^\d{1,4}$/.test(rawLimit)) return "limit must be a number";
  const limit = rawLimit ? Math.min(Math.max(Number(rawLimit), 1), maxLimit) : defaultLimit;
  const newer = [since, min].filter((v): v is number => typeof v === "number");
  return { maxId: maxId as number | null, newerThan: newer.length ? Math.max(...newer) : null, limit };
}

/** Keeps the items newer than the paging's since/min id (the stream gives newest first). */
export function newerOnly<T>(items: T[], paging: Paging, idOf: (item: T) => number): T[] {
  return paging.newerThan === null ? items : items.filter((item) => idOf(item) > paging.newerThan!);
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
