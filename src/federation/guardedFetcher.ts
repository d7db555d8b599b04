/** The guarded fetch as plain functions, for domain code that must reach other sites without importing federation. */
import type { Config } from "../config.ts";
import type { FeedFetcher } from "../domain/feeds/fetcher.ts";
import type { WebhookPoster } from "../domain/webhooks/deliver.ts";
import { safeFetch } from "./safeFetch.ts";

/** GETs through safeFetch with the given headers on every hop. */
export function guardedFetcher(config: Pick<Config, "allowPrivateNetwork" | "fetchTimeoutMs">): FeedFetcher {
  return (url, options) => safeFetch(config, url, { headers: () => options.headers ?? {}, maxBytes: options.maxBytes });
}

/** POSTs through safeFetch (redirects are not followed for POST); the answer's body is read only up to 64 KB. */
export function guardedPoster(config: Pick<Config, "allowPrivateNetwork" | "fetchTimeoutMs">): WebhookPoster {
  return (url, request) => safeFetch(config, url, { method: "POST", body: request.body, headers: () => request.headers, maxBytes: 64 * 1024 });
}
