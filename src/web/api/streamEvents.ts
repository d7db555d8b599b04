/**
 * Mastodon's streaming events for one app, from the live hub (src/domain/live/hub.ts): `update`
 * with a Status, `notification` with a Notification, `status.update` with the edited Status and
 * `delete` with the id. Statuses go through statusEntities, the same serializer and audience gate as
 * the timelines, so a stream never carries a post the member may not see. Shared by the
 * Server-Sent Events and WebSocket answers (streaming.ts), which only frame the events.
 */
import type { Context } from "hono";
import type { Db } from "../../db/open.ts";
import { Refusal } from "../../domain/errors.ts";
import { ownList } from "../../domain/lists/lists.ts";
import { tagNamed } from "../../domain/tags/follow.ts";
import { parseId } from "../htmx.ts";
import { holdsScope } from "../../domain/oauth/scopes.ts";
import { liveHub, newestIds, type LiveStream, type LiveUpdate } from "../../domain/live/hub.ts";
import { listNotifications } from "../../domain/notifications/inbox.ts";
import type { TokenHolder } from "../../domain/oauth/tokens.ts";
import type { ApiEnv } from "./env.ts";
import { statusEntities } from "./entities/status.ts";
import { notificationEntities } from "./notifications.ts";

/**
 * The streams Kith offers apps, and the live stream each reads. Kith has no federated timeline:
 * `public` is the Camp stream, as in the REST API; `hashtag:local` is the same as `hashtag`, the posts
 * with the tag the member may see, as the tag timeline.
 */
export type StreamName = "user" | "user:notification" | "public" | "public:local" | "hashtag" | "hashtag:local" | "list";
const SCOPES: Record<StreamName, string> = {
  user: "read:statuses", "user:notification": "read:notifications", public: "read:statuses", "public:local": "read:statuses",
  hashtag: "read:statuses", "hashtag:local": "read:statuses", list: "read:statuses",
};

/** A stream an app asked for: Mastodon's name, the live stream behind it, and how WebSocket frames name it. */
export interface StreamRequest {
  name: StreamName;
  live: LiveStream | null;
  label: string[];
}

/** A refusal as Mastodon's streaming server words it. */
export interface StreamRefusal {
  status: 400 | 401 | 403 | 404 | 422;
  error: string;
}

/** The stream named (with its `tag` or `list` parameter), or why there is none. */
export function streamRequest(rawName: string | undefined, params: { tag?: string; list?: string }): StreamRequest | StreamRefusal {
  const name = rawName && Object.hasOwn(SCOPES, rawName) ? (rawName as StreamName) : null;
  if (!name) return { status: 400, error: "Unknown stream type" };
  if (name === "hashtag" || name === "hashtag:local") {
    const tag = params.tag ? tagNamed(params.tag) : null;
    return tag ? { name, live: { kind: "tag", tag }, label: [name, params.tag!] } : { status: 400, error: "Missing tag name parameter" };
  }
  if (name === "list") {
    const list = parseId(params.list ?? "");
    return list === null ? { status: 400, error: "Missing list name parameter" } : { name, live: { kind: "list", listId: list }, label: [name, params.list!] };
  }
  const live: LiveStream | null = name === "user" ? { kind: "home" } : name === "user:notification" ? null : { kind: "camp" };
  return { name, live, label: [name] };
}

/** Why this token may not read this stream (Mastodon's wording), or null when it may: a list must be the member's own. */
export async function refusalFor(db: Db, holder: TokenHolder | null, request: StreamRequest): Promise<StreamRefusal | null> {
  if (!holder) return { status: 401, error: "The access token is invalid" };
  if (holder.accountId === null) return { status: 422, error: "This method requires an authenticated user" };
  if (!holdsScope(holder.scopes, SCOPES[request.name])) return { status: 403, error: "Access token does not have the required scopes" };
  if (request.live?.kind === "list" && !(await isOwnList(db, holder.accountId, request.live.listId))) return { status: 404, error: "List not found" };
  return null;
}

async function isOwnList(db: Db, memberId: number, listId: number): Promise<boolean> {
  return ownList(db, memberId, listId).then(() => true, (error) => {
    if (error instanceof Refusal) return false;
    throw error;
  });
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
export async function subscribeStream(c: Context<ApiEnv>, holder: TokenHolder, request: StreamRequest,
  emit: (event: StreamEvent) => Promise<void>, closed: () => void): Promise<() => void> {
  const { db, config, log } = c.var.deps;
  const memberId = holder.accountId!;
  const viewer = { kind: "member" as const, accountId: memberId };
  // The user stream carries notifications only for a token that may read them, as on Mastodon.
  const { name, live } = request;
  const notifications = name === "user:notification" || (name === "user" && holdsScope(holder.scopes, "read:notifications"));
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
