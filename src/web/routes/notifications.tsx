/** Notifications: the list, the unread badge htmx polls, and "mark all read". */
import { Hono } from "hono";
import { listNotifications, markAllRead, unreadCount } from "../../domain/notifications/inbox.ts";
import { NotificationsPage } from "../../../views/pages/notifications.tsx";
import { UnreadBadge } from "../../../views/components/unreadBadge.tsx";
import type { WebEnv } from "../env.ts";
import { cursorOf, parseId } from "../htmx.ts";
import { pageContext, render } from "../render.tsx";
import { requireMember } from "../session.ts";

export function notificationRoutes() {
  const app = new Hono<WebEnv>();

  app.get("/notifications", requireMember, async (c) => {
    const { items, next } = await listNotifications(c.var.deps.db, c.var.viewer!.id, cursorOf(c));
    const notice = c.req.query("notice") === "read" ? "All notifications are marked read." : null;
    return render(c, <NotificationsPage page={await pageContext(c)} items={items} next={next} notice={notice} />);
  });

  // Polled by the badge in the navigation; a visitor whose session ended gets an empty badge.
  app.get("/notifications/unread", async (c) => {
    c.header("cache-control", "no-store");
    const count = c.var.viewer ? await unreadCount(c.var.deps.db, c.var.viewer.id) : 0;
    return c.html(<UnreadBadge count={count} />);
  });

  app.post("/notifications/read", requireMember, async (c) => {
    const body = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    const upTo = typeof body.upTo === "string" ? parseId(body.upTo) : null;
    await markAllRead(c.var.deps.db, c.var.viewer!.id, upTo);
    return c.redirect("/notifications?notice=read", 303);
  });

  return app;
}
