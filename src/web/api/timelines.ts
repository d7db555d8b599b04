/**
 * Timelines: home, the camp stream (public with local=true: Kith has no federated timeline, so
 * public without it is the camp stream too, and remote=true is empty), and a tag. Each is the same
 * stream function as its page, so the gate and the member's filters apply the same way.
 */
import { Hono, type Context } from "hono";
import type { StreamPage } from "../../domain/timelines/streams.ts";
import { campStream, homeStream, tagStream } from "../../domain/timelines/streams.ts";
import { MAX_TAG_LENGTH, normalizeTag } from "../../domain/text/references.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { itemsToStatuses } from "./entities/status.ts";
import { apiError, NOT_FOUND } from "./errors.ts";
import { pageOf, readPaging, setLinkHeader } from "./paging.ts";

/** Answers one page of a stream (read downward from `before`) as statuses with the Link header. */
export async function timeline(c: Context<ApiEnv>, read: (before: number | null, limit: number) => Promise<StreamPage>) {
  const paging = readPaging(c);
  if (typeof paging === "string") return apiError(c, 400, paging);
  const items = await pageOf(paging, read, (i) => i.key);
  setLinkHeader(c, items.map((i) => i.key), c.var.deps.config.origin);
  return c.json(await itemsToStatuses(c.var.deps.db, c.var.deps.config.origin, memberOf(c), items));
}

export function timelinesApi() {
  const app = new Hono<ApiEnv>();
  const member = (c: Context<ApiEnv>) => ({ kind: "member" as const, accountId: memberOf(c) });

  app.get("/api/v1/timelines/home", memberWith("read:statuses"), (c) =>
    timeline(c, (before, limit) => homeStream(c.var.deps.db, memberOf(c), before, limit)));

  app.get("/api/v1/timelines/public", memberWith("read:statuses"), async (c) => {
    if (c.req.query("remote") === "true") return c.json([]);
    return timeline(c, (before, limit) => campStream(c.var.deps.db, member(c), before, limit));
  });

  app.get("/api/v1/timelines/tag/:tag", memberWith("read:statuses"), async (c) => {
    const tag = normalizeTag(c.req.param("tag"));
    if (!tag || tag.length > MAX_TAG_LENGTH) return apiError(c, 404, NOT_FOUND);
    return timeline(c, (before, limit) => tagStream(c.var.deps.db, member(c), tag, before, limit));
  });

  return app;
}
