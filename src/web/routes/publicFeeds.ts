/** Feeds out: /feed.rss|atom|json (the camp), /@handle/feed.*, /tags/TAG/feed.*; public posts only, with ETag and 304. */
import { createHash } from "node:crypto";
import { Hono, type Context } from "hono";
import { getCamp } from "../../domain/camp/settings.ts";
import { FEED_MEDIA_TYPES, publishedFeed, type FeedFormat, type FeedScope } from "../../domain/feeds/publish.ts";
import { feedDocument } from "../../../views/feedDocuments.ts";
import type { WebEnv } from "../env.ts";

const FILE = ":file{feed\\.(?:rss|atom|json)}";

async function serveFeed(c: Context<WebEnv>, scope: FeedScope) {
  const format = c.req.param("file")!.slice("feed.".length) as FeedFormat;
  const deps = c.var.deps;
  const feed = await publishedFeed(deps.db, (await getCamp(deps.db)).name, scope);
  if (!feed) return c.notFound();
  const body = feedDocument(format, feed, deps.config.origin);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  const headers = { etag, "cache-control": "public, max-age=300", vary: "Accept-Encoding" };
  const asked = c.req.header("if-none-match")?.split(",").map((t) => t.trim().replace(/^W\//, ""));
  if (asked?.includes(etag)) return c.body(null, 304, headers);
  return c.body(body, 200, { ...headers, "content-type": `${FEED_MEDIA_TYPES[format]}; charset=utf-8` });
}

export function publicFeedRoutes() {
  const app = new Hono<WebEnv>();
  app.get(`/${FILE}`, (c) => serveFeed(c, { kind: "camp" }));
  app.get(`/:at{@[A-Za-z0-9_]+}/${FILE}`, (c) => serveFeed(c, { kind: "member", handle: c.req.param("at").slice(1) }));
  app.get(`/tags/:tag/${FILE}`, (c) => serveFeed(c, { kind: "tag", tag: c.req.param("tag") }));
  return app;
}
