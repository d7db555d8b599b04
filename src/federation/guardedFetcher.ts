/** The guarded fetch as a plain function, for domain code that must reach other sites without importing federation. */
import type { Config } from "../config.ts";
import type { FeedFetcher } from "../domain/feeds/fetcher.ts";
import { safeFetch } from "./safeFetch.ts";

/** GETs through safeFetch with the given headers on every hop. */
export function guardedFetcher(config: Pick<Config, "allowPrivateNetwork" | "fetchTimeoutMs">): FeedFetcher {
  return (url, options) => safeFetch(config, url, { headers: () => options.headers ?? {}, maxBytes: options.maxBytes });
}
