/**
 * Telling a member that someone replied, mentioned, liked, boosted or followed. Written in the
 * transaction of the change itself. Only members of this camp get notifications, never for their
 * own actions, and never from someone they muted.
 */
import type { Kysely } from "kysely";
import type { Database, NotificationKind } from "../../db/schema.ts";
import { now } from "../clock.ts";

export interface NewNotification {
  recipientId: number;
  kind: NotificationKind;
  actorId: number;
  postId: number | null;
}

/** Records the notification when the recipient is a local member who has not muted the actor. */
export async function notify(trx: Kysely<Database>, n: NewNotification): Promise<void> {
  // A closed poll is news to its own author too (the actor is the poll's author).
  if (n.recipientId === n.actorId && n.kind !== "poll") return;
  const recipient = await trx
    .selectFrom("accounts")
    .innerJoin("members", "members.account_id", "accounts.id")
    .select("accounts.id")
    .where("accounts.id", "=", n.recipientId)
    .where("accounts.domain", "is", null)
    .where((eb) => eb.not(eb.exists(
      eb.selectFrom("mutes").select("mutes.target_id")
        .where("mutes.account_id", "=", n.recipientId).where("mutes.target_id", "=", n.actorId).where("mutes.kind", "=", "mute"),
    )))
    .executeTakeFirst();
  if (!recipient) return;
  await trx
    .insertInto("notifications")
    .values({ recipient_id: n.recipientId, kind: n.kind, actor_id: n.actorId, post_id: n.postId, created_at: now() })
    .execute();
}

/** Takes back a notification whose cause was undone (an unlike, an un-boost, an unfollow). */
export async function withdrawNotification(trx: Kysely<Database>, n: NewNotification): Promise<void> {
  let query = trx.deleteFrom("notifications")
    .where("recipient_id", "=", n.recipientId).where("kind", "=", n.kind).where("actor_id", "=", n.actorId).where("read_at", "is", null);
  query = n.postId === null ? query.where("post_id", "is", null) : query.where("post_id", "=", n.postId);
  await query.execute();
}
