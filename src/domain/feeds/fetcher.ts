/**
 * How the feeds domain reaches other sites: a fetcher handed in by the caller (the guarded fetch
 * of the federation module), so the domain never imports federation and tests can see every call.
 */
import type { Db } from "../../db/open.ts";
import type { Logger } from "../../log.ts";
import type { PostPlace } from "../posts/create.ts";

export interface FetchedDocument {
  status: number;
  /** Where the answer finally came from, after redirects. */
  url: string;
  headers: Headers;
  text: string;
  bytes: Uint8Array;
}

/** GETs a URL under the guarded rules (public addresses only, bounded time and size); throws with a reason. */
export type FeedFetcher = (url: string, options: { headers?: Record<string, string>; maxBytes: number }) => Promise<FetchedDocument>;

/** Largest feed document read: a 50 MB feed is refused, not read. */
export const MAX_FEED_BYTES = 4 * 1024 * 1024;
/** Largest image taken from an entry, the same as an uploaded one. */
export const MAX_ENTRY_IMAGE_BYTES = 8 * 1024 * 1024;

/** What polling and importing need: the database, a log, the fetcher and where posts are written. */
export interface FeedContext {
  db: Db;
  log: Logger;
  fetch: FeedFetcher;
  place: PostPlace;
}

/** The reason a fetch failed, in words for the settings page. */
export const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 500);
