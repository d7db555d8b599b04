/**
 * One incoming activity, from bytes to stored change: size limit, JSON, signature, key owner
 * is the actor, same-server activity id, once per activity id, then the handler for its type.
 * Every refusal has a status and a log line and leaves nothing stored.
 */
import type { Context } from "hono";
import type { WebEnv } from "../../web/env.ts";
import { findLocalActor } from "../localActors.ts";
import { verifyRequest } from "../verifyRequest.ts";
import { hostOf } from "../urls.ts";
import { idOf, isObject, type Json, text, typeOf } from "../vocab/read.ts";
import { type InboxContext, InboxRefusal } from "./context.ts";
import { claimActivity, markHandled, releaseActivity } from "./seen.ts";
import { onAccept, onFollow, onReject } from "./follows.ts";
import { onBlock, onFlag, onUndo } from "./moderation.ts";
import { onCreate, onDelete, onUpdate } from "./posts.ts";
import { onAnnounce, onLike } from "./reactions.ts";
import { onMove } from "./moves.ts";

/** Largest activity we read; Mastodon's own limit is about 1 MB. */
export const MAX_ACTIVITY_BYTES = 1024 * 1024;

const HANDLERS: Record<string, (ctx: InboxContext) => Promise<void>> = {
  Follow: onFollow, Accept: onAccept, Reject: onReject, Undo: onUndo,
  Create: onCreate, Update: onUpdate, Delete: onDelete,
  Like: onLike, Announce: onAnnounce, Block: onBlock, Flag: onFlag,
  Move: onMove,
};

export async function receiveActivity(c: Context<WebEnv>, recipientHandle: string | null): Promise<Response> {
  const { deps, requestId } = c.var;
  const refuse = (status: 400 | 401 | 403 | 413 | 422, reason: string, fields: Record<string, unknown> = {}) => {
    deps.log.warn("federation: inbox refused", { requestId, status, reason, ...fields });
    return c.json({ error: reason }, status);
  };
  if (recipientHandle !== null) {
    const member = await findLocalActor(deps.db, recipientHandle);
    if (!member || member.suspended_at !== null) {
      deps.log.info("federation: inbox of no member", { requestId, handle: recipientHandle });
      return c.json({ error: "no such member" }, 404);
    }
  }
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_ACTIVITY_BYTES) return refuse(413, `activities are limited to ${MAX_ACTIVITY_BYTES} bytes`);
  const body = new Uint8Array(await c.req.arrayBuffer());
  if (body.byteLength > MAX_ACTIVITY_BYTES) return refuse(413, `activities are limited to ${MAX_ACTIVITY_BYTES} bytes`);
  let activity: unknown;
  try {
    activity = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return refuse(400, "the body is not JSON");
  }
  if (!isObject(activity)) return refuse(400, "the body is not an activity object");
  const url = new URL(c.req.url);
  const verified = await verifyRequest(deps, { method: "POST", url: `${deps.config.origin}${url.pathname}${url.search}`, headers: c.req.raw.headers, body });
  if (!verified.ok) return refuse(verified.status, verified.reason, { type: typeOf(activity) });
  const { owner } = verified;
  if (idOf(activity.actor) !== owner.actorUri) {
    return refuse(401, "the signing key does not belong to the activity's actor", { actor: idOf(activity.actor), signer: owner.actorUri });
  }
  const id = text(activity.id);
  if (id && hostOf(id) !== hostOf(owner.actorUri)) return refuse(403, "the activity's id is not on the actor's server", { id });
  const handler = HANDLERS[typeOf(activity)];
  if (!handler) {
    deps.log.info("federation: activity type ignored", { requestId, type: typeOf(activity), actor: owner.actorUri });
    return c.body(null, 202);
  }
  // Claiming the id first makes a redelivery (or a concurrent duplicate) a no-op; a failure releases it.
  if (id && !(await claimActivity(deps.db, id))) return c.body(null, 202);
  try {
    await handler({ deps, actorId: owner.accountId, actorUri: owner.actorUri, activity: activity as Json });
  } catch (error) {
    if (id) releaseActivity(deps.db, id);
    if (error instanceof InboxRefusal) return refuse(error.status, error.message, { type: typeOf(activity), id });
    throw error;
  }
  if (id) markHandled(deps.db, id);
  deps.log.info("federation: activity accepted", { requestId, type: typeOf(activity), id, actor: owner.actorUri });
  return c.body(null, 202);
}
