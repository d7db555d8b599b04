/**
 * Notifications in Mastodon's words: Kith's reply and mention are "mention", like is "favourite",
 * boost is "reblog". The list is the page's own list (the gate leaves out posts the member may no
 * longer see), and a notification's status goes through the gate again when it is presented.
 */
import { Hono, type Context } from "hono";
import type { NotificationKind } from "../../db/schema.ts";
import { accountCards } from "../../domain/accounts/cards.ts";
import { clearNotifications, dismissNotification } from "../../domain/notifications/dismiss.ts";
import { listNotifications, type NotificationRow } from "../../domain/notifications/inbox.ts";
import { parseId } from "../htmx.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { accountEntity } from "./entities/account.ts";
import { statusEntities } from "./entities/status.ts";
import { apiError, NOT_FOUND } from "./errors.ts";
import { pageOf, readPaging, setLinkHeader } from "./paging.ts";

const TYPES: Record<NotificationKind, string> = {
  reply: "mention", mention: "mention", like: "favourite", boost: "reblog", follow: "follow", follow_request: "follow_request", poll: "poll",
};

/** Notification entities for these rows, leaving out any whose status the member may no longer see. */
export async function notificationEntities(c: Context<ApiEnv>, rows: NotificationRow[]) {
  const { db, config } = c.var.deps;
  const viewer = { kind: "member" as const, accountId: memberOf(c) };
  const postIds = rows.flatMap((r) => (r.postId === null ? [] : [r.postId]));
  const [cards, statuses] = await Promise.all([
    accountCards(db, rows.map((r) => r.actor.id)),
    statusEntities(db, config.origin, viewer, postIds),
  ]);
  const byId = new Map(statuses.map((s) => [s.id, s]));
  return rows.flatMap((r) => {
    const card = cards.get(r.actor.id);
    const status = r.postId === null ? null : byId.get(String(r.postId));
    if (!card || (r.postId !== null && !status)) return [];
    return [{ id: String(r.id), type: TYPES[r.kind], created_at: new Date(r.createdAt).toISOString(), account: accountEntity(config.origin, card), status: status ?? null }];
  });
}

export function notificationsApi() {
  const app = new Hono<ApiEnv>();

  app.get("/api/v1/notifications", memberWith("read:notifications"), async (c) => {
    const paging = readPaging(c, 40, 80);
    if (typeof paging === "string") return apiError(c, 400, paging);
    const only = new Set(c.req.queries("types[]") ?? c.req.queries("types") ?? []);
    const excluded = new Set(c.req.queries("exclude_types[]") ?? c.req.queries("exclude_types") ?? []);
    const wanted = (r: NotificationRow) => (only.size === 0 || only.has(TYPES[r.kind])) && !excluded.has(TYPES[r.kind]);
    const rows = await pageOf(paging, async (before) => {
      const page = await listNotifications(c.var.deps.db, memberOf(c), before);
      return { items: page.items.filter(wanted), next: page.next };
    }, (r) => r.id);
    setLinkHeader(c, rows.map((r) => r.id), c.var.deps.config.origin);
    return c.json(await notificationEntities(c, rows));
  });

  app.get("/api/v1/notifications/:id{[0-9]+}", memberWith("read:notifications"), async (c) => {
    const id = parseId(c.req.param("id"));
    if (id === null) return apiError(c, 404, NOT_FOUND);
    const page = await listNotifications(c.var.deps.db, memberOf(c), id + 1);
    const [entity] = await notificationEntities(c, page.items.filter((r) => r.id === id));
    return entity ? c.json(entity) : apiError(c, 404, NOT_FOUND);
  });

  app.post("/api/v1/notifications/:id{[0-9]+}/dismiss", memberWith("write:notifications"), async (c) => {
    const id = parseId(c.req.param("id"));
    if (id === null || !(await dismissNotification(c.var.deps.db, memberOf(c), id))) return apiError(c, 404, NOT_FOUND);
    return c.json({});
  });

  app.post("/api/v1/notifications/clear", memberWith("write:notifications"), async (c) => {
    await clearNotifications(c.var.deps.db, memberOf(c));
    c.var.deps.log.info("api: notifications cleared", { requestId: c.var.requestId });
    return c.json({});
  });

  return app;
}
