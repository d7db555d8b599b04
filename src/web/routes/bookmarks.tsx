/** The Saved page: the member's bookmarks, drawn like a stream (with htmx, "Older posts" appends in place). */
import { Hono } from "hono";
import { savedStream } from "../../domain/bookmarks/savedStream.ts";
import type { WebEnv } from "../env.ts";
import { cursorOf } from "../htmx.ts";
import { requireMember } from "../session.ts";
import { renderStream } from "./streams.tsx";

export function bookmarkRoutes() {
  const app = new Hono<WebEnv>();
  app.get("/saved", requireMember, async (c) => {
    const page = await savedStream(c.var.deps.db, c.var.viewer!.id, cursorOf(c));
    return renderStream(c, { title: "Saved", path: "/saved", empty: "Nothing saved yet. Choose Save under a post to keep it here; only you see this list." }, page);
  });
  return app;
}
