/**
 * GET /api/v1/favourites and /bookmarks: the posts the member liked or saved, newest first, paged by
 * the like's or bookmark's id as Mastodon does, through the gate again when presented.
 */
import { Hono } from "hono";
import { presentItems } from "../../domain/posts/present.ts";
import { likedPosts } from "../../domain/posts/reactions.ts";
import { bookmarkIds } from "../../domain/bookmarks/savedStream.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { itemsToStatuses } from "./entities/status.ts";
import { apiError } from "./errors.ts";
import { pageFromRows, pageOf, readPaging, setLinkHeader } from "./paging.ts";

export function savedApi() {
  const app = new Hono<ApiEnv>();

  app.get("/api/v1/favourites", memberWith("read:favourites"), async (c) => {
    const paging = readPaging(c);
    if (typeof paging === "string") return apiError(c, 400, paging);
    const { db, config } = c.var.deps;
    const likes = await pageOf(paging, async (before, limit) =>
      pageFromRows(await likedPosts(db, memberOf(c), before, limit), limit, (l) => l.likeId), (l) => l.likeId);
    // The gate decides again: a liked post may since have been deleted or narrowed.
    const items = await presentItems(db, { kind: "member", accountId: memberOf(c) }, likes.map((l) => l.postId));
    setLinkHeader(c, likes.map((l) => l.likeId), config.origin);
    return c.json(await itemsToStatuses(db, config.origin, memberOf(c), items));
  });

  app.get("/api/v1/bookmarks", memberWith("read:bookmarks"), async (c) => {
    const paging = readPaging(c);
    if (typeof paging === "string") return apiError(c, 400, paging);
    const { db, config } = c.var.deps;
    const saved = await pageOf(paging, async (before, limit) =>
      pageFromRows(await bookmarkIds(db, memberOf(c), before, limit + 1), limit, (b) => b.id), (b) => b.id);
    const items = await presentItems(db, { kind: "member", accountId: memberOf(c) }, saved.map((b) => b.post_id));
    setLinkHeader(c, saved.map((b) => b.id), config.origin);
    return c.json(await itemsToStatuses(db, config.origin, memberOf(c), items));
  });

  return app;
}
