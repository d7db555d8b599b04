/**
 * A member's notifications: the list, the unread count in the navigation, and "mark all read".
 * Notifications about posts the member may no longer see (deleted, or narrowed) are left out, by
 * the audience gate's own SQL rule, and so are those from accounts on domains the member blocked.
 */
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import type { NotificationKind } from "../../db/schema.ts";
import { accountNotBlocked, visibleTo, type Viewer } from "../audience.ts";
import { now } from "../clock.ts";

export const NOTIFICATIONS_PER_PAGE = 30;

function visibleNotifications(db: Db, memberId: number) {
  const viewer: Viewer = { kind: "member", accountId: memberId };
  return db
    .selectFrom("notifications")
    .leftJoin("posts", "posts.id", "notifications.post_id")
    .leftJoin("accounts as authors", "authors.id", "posts.author_id")
    .innerJoin("accounts as actors", "actors.id", "notifications.actor_id")
    .where("notifications.recipient_id", "=", memberId)
    .where("actors.suspended_at", "is", null)
    .where(accountNotBlocked(memberId, "actors.id"))
    .where((eb) => eb.or([
      eb("notifications.post_id", "is", null),
      // The left joins make the post's columns nullable; the rule is the same rule.
      visibleTo(viewer)(eb as unknown as Parameters<ReturnType<typeof visibleTo>>[0]),
    ]));
}

export interface NotificationRow {
  id: number;
  kind: NotificationKind;
  postId: number | null;
  createdAt: number;
  unread: boolean;
  actor: { id: number; handle: string; domain: string | null; displayName: string; url: string | null };
}

/** One page of notifications, newest first, after the `before` cursor. */
export async function listNotifications(db: Db, memberId: number, before: number | null) {
  let query = visibleNotifications(db, memberId)
    .select([
      "notifications.id", "notifications.kind", "notifications.post_id", "notifications.created_at", "notifications.read_at",
      "actors.id as actor_id", "actors.handle", "actors.domain", "actors.display_name", "actors.url",
    ])
    .orderBy("notifications.id", "desc")
    .limit(NOTIFICATIONS_PER_PAGE + 1);
  if (before !== null) query = query.where("notifications.id", "<", before);
  const rows = await query.execute();
  const items: NotificationRow[] = rows.slice(0, NOTIFICATIONS_PER_PAGE).map((r) => ({
    id: r.id, kind: r.kind, postId: r.post_id, createdAt: r.created_at, unread: r.read_at === null,
    actor: { id: r.actor_id, handle: r.handle, domain: r.domain, displayName: r.display_name, url: r.url },
  }));
  const next = rows.length > NOTIFICATIONS_PER_PAGE ? items[items.length - 1]!.id : null;
  return { items, next };
}

/** Ids of the member's notifications newer than `afterId` that the list would show, oldest first (for apps streaming). */
export async function notificationIdsAfter(db: Db, memberId: number, afterId: number, limit = NOTIFICATIONS_PER_PAGE): Promise<number[]> {
  const rows = await visibleNotifications(db, memberId).select("notifications.id").where("notifications.id", ">", afterId)
    .orderBy("notifications.id").limit(limit).execute();
  return rows.map((r) => r.id);
}

/**
 * The badge counts this far and then says "99+": a count stops at 100 rows, so a member back from a
 * month away does not pay, on every page, for each notification they missed (every one passes
 * through the audience gate to be counted).
 */
export const UNREAD_COUNTED_UP_TO = 100;

/** How many notifications the member has not read (at most UNREAD_COUNTED_UP_TO), over the same visible set as the list. */
export async function unreadCount(db: Db, memberId: number): Promise<number> {
  const [row] = await countUnread(db, {}, { memberId });
  return Number(row!.n);
}

/** Asked on every page (the navigation's badge): built once (see compiledOnce). */
const countUnread = compiledOnce((db: Db, _shape: object, v: { memberId: number }) => db
  .selectFrom(visibleNotifications(db, v.memberId).where("notifications.read_at", "is", null)
    .select("notifications.id").limit(UNREAD_COUNTED_UP_TO).as("unread"))
  .select((eb) => eb.fn.countAll<number>().as("n")));

/** Marks every notification read, up to the newest one the member was shown. */
export async function markAllRead(db: Db, memberId: number, upTo: number | null): Promise<void> {
  let query = db.updateTable("notifications").set({ read_at: now() }).where("recipient_id", "=", memberId).where("read_at", "is", null);
  if (upTo !== null) query = query.where("id", "<=", upTo);
  await query.execute();
}
