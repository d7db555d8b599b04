/**
 * Mastodon's streaming events for one app, from the live hub (src/domain/live/hub.ts): `update`
 * with a Status, `notification` with a Notification, `status.update` with the edited Status and
 * `delete` with the id. Statuses go through statusEntities, the same serializer and audience gate as
 * the timelines, so a stream never carries a post the member may not see. Shared by the
 * Server-Sent Events and WebSocket answers (streaming.ts), which only frame the events.
 */
import type { Context } from "hono";
import { holdsScope } from "../../domain/oauth/scopes.ts";
import { liveHub, newestIds, type LiveStream, type LiveUpdate } from "../../domain/live/hub.ts";
import { listNotifications } from "../../domain/notifications/inbox.ts";
import type { TokenHolder } from "../../domain/oauth/tokens.ts";
import type { ApiEnv } from "./env.ts";
import { statusEntities } from "./entities/status.ts";
import { notificationEntities } from "./notifications.ts";

/** The streams Kith offers apps. Kith has no federated timeline: `public` is the Camp stream, as in the REST API. */
export type StreamName = "user" | "user:notification" | "public" | "public:local";
const STREAMS: Record<StreamName, { live: LiveStream | null; scope: string }> = {
  user: { live: { kind: "home" }, scope: "read:statuses" },
  "user:notification": { live: null, scope: "read:notifications" },
  public: { live: { kind: "camp" }, scope: "read:statuses" },
  "public:local": { live: { kind: "camp" }, scope: "read:statuses" },
};

/** The stream of a name Mastodon uses, or null for one Kith does not offer. */
export const streamNamed = (name: string): StreamName | null => (Object.hasOwn(STREAMS, name) ? (name as StreamName) : null);

/** Why this token may not read this stream (Mastodon's wording), or null when it may. */
export function refusalFor(holder: TokenHolder | null, name: StreamName): { status: 401 | 403 | 422; error: string } | null {
  if (!holder) return { status: 401, error: "The access token is invalid" };
  if (holder.accountId === null) return { status: 422, error: "This method requires an authenticated user" };
  return holdsScope(holder.scopes, STREAMS[name].scope) ? null : { status: 403, error: "Access token does not have the required scopes" };
}

/** One event as Mastodon sends it: the name, and the payload (a JSON string, or a bare id for `delete`). */
export interface StreamEvent {
  event: "update" | "notification" | "status.update" | "delete";
  payload: string;
}

/**
 * Subscribes the token's member to the stream from now on and calls `emit` with each event, in
 * order; `closed` when the server stops. Returns the function that stops the subscription.
 */
export async function subscribeStream(c: Context<ApiEnv>, holder: TokenHolder, name: StreamName,
  emit: (event: StreamEvent) => Promise<void>, closed: () => void): Promise<() => void> {
  const { db, config, log } = c.var.deps;
  const memberId = holder.accountId!;
  const viewer = { kind: "member" as const, accountId: memberId };
  // The user stream carries notifications only for a token that may read them, as on Mastodon.
  const notifications = name === "user:notification" || (name === "user" && holdsScope(holder.scopes, "read:notifications"));
  const live = STREAMS[name].live;
  const events = async (update: LiveUpdate): Promise<StreamEvent[]> => {
    const statuses = async (event: "update" | "status.update", ids: number[]) =>
      (await statusEntities(db, config.origin, viewer, ids)).map((s) => ({ event, payload: JSON.stringify(s) }));
    switch (update.kind) {
      case "posts": return statuses("update", update.postIds);
      case "edited": return statuses("status.update", update.postIds);
      case "deleted": return update.postIds.map((id) => ({ event: "delete", payload: String(id) }));
      case "notifications": {
        const wanted = new Set(update.ids);
        const page = await listNotifications(db, memberId, Math.max(...update.ids) + 1);
        const rows = page.items.filter((r) => wanted.has(r.id)).reverse();
        return (await notificationEntities(c, rows)).map((n) => ({ event: "notification", payload: JSON.stringify(n) }));
      }
      default: return [];
    }
  };
  const newest = await newestIds(db);
  let queue = Promise.resolve();
  return liveHub(db, (error) => log.error("live: check failed", { error: String(error) })).subscribe(
    { memberId, stream: live, afterPostId: newest.posts, notifications: false, includeOwn: true, changes: live !== null,
      afterNotificationId: notifications ? newest.notifications : undefined },
    (update) => {
      if (update.kind === "closed") closed();
      else queue = queue.then(async () => { for (const event of await events(update)) await emit(event); })
        .catch((error) => log.warn("api: stream event not sent", { requestId: c.var.requestId, error: String(error) }));
    },
  );
}
