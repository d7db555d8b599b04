/** Following and unfollowing tags (plain forms from the tag's page, answered with a redirect back to it). */
import { Hono } from "hono";
import { Refusal } from "../../domain/errors.ts";
import { followTag, unfollowTag } from "../../domain/tags/follow.ts";
import type { WebEnv } from "../env.ts";
import { statusOf } from "../render.tsx";
import { requireMember } from "../session.ts";

export function tagRoutes() {
  const app = new Hono<WebEnv>();
  for (const [action, run] of [["follow", followTag], ["unfollow", unfollowTag]] as const) {
    app.post(`/tags/:tag/${action}`, requireMember, async (c) => {
      const raw = c.req.param("tag");
      try {
        await run(c.var.deps.db, c.var.viewer!.id, raw);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        return c.text(error.message, statusOf(error));
      }
      c.var.deps.log.info(`tag: ${action}`, { requestId: c.var.requestId });
      return c.redirect(`/tags/${encodeURIComponent(raw.replace(/^#/, "").toLowerCase())}`, 303);
    });
  }
  return app;
}
