/**
 * Followed tags through the API (issue 10's src/domain/tags): the list, follow and unfollow, and one
 * tag with whether the member follows it. Following a tag brings its posts the member may see into
 * their Home, exactly as following it on the tag's page does.
 */
import { Hono, type Context } from "hono";
import { followedTags, followsTag, followTag, tagNamed, unfollowTag } from "../../domain/tags/follow.ts";
import { holdsScope } from "../../domain/oauth/scopes.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { tagEntity } from "./entities/tag.ts";
import { apiError, NOT_FOUND, refusalAnswer } from "./errors.ts";

/** The tag named in the path, or null when it is not a tag. */
const tagOf = (c: Context<ApiEnv>): string | null => tagNamed(c.req.param("name") ?? "");

export function tagsApi() {
  const app = new Hono<ApiEnv>();

  // Kith lets a member follow at most MAX_FOLLOWED_TAGS (100) tags, so one page (Mastodon's default of 100) holds them all.
  app.get("/api/v1/followed_tags", memberWith("read:follows"), async (c) => {
    const { db, config } = c.var.deps;
    return c.json((await followedTags(db, memberOf(c))).map((name) => tagEntity(config.origin, name, true)));
  });

  app.get("/api/v1/tags/:name", async (c) => {
    const tag = tagOf(c);
    if (!tag) return apiError(c, 404, NOT_FOUND);
    const holder = c.var.token;
    const member = holder?.accountId != null && holdsScope(holder.scopes, "read:follows") ? holder.accountId : null;
    const following = member === null ? undefined : await followsTag(c.var.deps.db, member, tag);
    return c.json(tagEntity(c.var.deps.config.origin, tag, following));
  });

  for (const [action, run] of [["follow", followTag], ["unfollow", unfollowTag]] as const) {
    app.post(`/api/v1/tags/:name/${action}`, memberWith("write:follows"), async (c) => {
      const tag = tagOf(c);
      if (!tag) return apiError(c, 404, NOT_FOUND);
      try {
        await run(c.var.deps.db, memberOf(c), tag);
      } catch (error) {
        return refusalAnswer(c, error);
      }
      c.var.deps.log.info(`api: tag ${action}`, { requestId: c.var.requestId });
      return c.json(tagEntity(c.var.deps.config.origin, tag, action === "follow"));
    });
  }

  return app;
}
