/**
 * Following: a member follows a member (accepted at once, unless the account is locked) or a remote
 * account (pending until its server accepts). Each change records its event in the same transaction.
 */
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { notify, withdrawNotification } from "../notifications/notify.ts";
import { recordEvent } from "../../jobs/events.ts";

/** Follows the account; returns the state of the new follow. */
export async function follow(db: Db, followerId: number, followeeId: number): Promise<"pending" | "accepted"> {
  if (followerId === followeeId) refuse("invalid", "You cannot follow yourself; your own posts are always in your Home.");
  const target = await db.selectFrom("accounts").select(["id", "domain", "locked", "suspended_at", "deleted_at", "display_name"])
    .where("id", "=", followeeId).executeTakeFirst();
  if (!target || target.suspended_at !== null || target.deleted_at !== null) return refuse("not_found", "That person does not exist here.");
  const state = target.domain !== null || target.locked ? "pending" : "accepted";
  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("follows").select("state").where("follower_id", "=", followerId).where("followee_id", "=", followeeId).executeTakeFirst();
    if (existing) refuse("conflict", existing.state === "pending" ? `You already asked to follow ${target.display_name}.` : `You already follow ${target.display_name}.`);
    const row = await trx.insertInto("follows")
      .values({ follower_id: followerId, followee_id: followeeId, state, created_at: now() })
      .returning("id").executeTakeFirstOrThrow();
    await notify(trx, { recipientId: followeeId, kind: state === "accepted" ? "follow" : "follow_request", actorId: followerId, postId: null });
    await recordEvent(trx, { type: "follow.created", followId: row.id });
  });
  return state;
}

/** Stops following (or withdraws a follow request). */
export async function unfollow(db: Db, followerId: number, followeeId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("follows").select(["id", "uri", "state"])
      .where("follower_id", "=", followerId).where("followee_id", "=", followeeId).executeTakeFirst();
    if (!row) refuse("conflict", "You do not follow this person.");
    await trx.deleteFrom("follows").where("id", "=", row!.id).execute();
    await withdrawNotification(trx, { recipientId: followeeId, kind: row!.state === "accepted" ? "follow" : "follow_request", actorId: followerId, postId: null });
    await recordEvent(trx, { type: "follow.deleted", followerId, followeeId, followUri: row!.uri });
  });
}

/** The follow between two accounts, if any: "accepted", "pending" or null. */
export async function followState(db: Db, followerId: number, followeeId: number): Promise<"pending" | "accepted" | null> {
  const [row] = await stateOfFollow(db, {}, { followerId, followeeId });
  return row?.state ?? null;
}

/** Asked on every profile a member opens: built once (see compiledOnce). */
const stateOfFollow = compiledOnce((db: Db, _shape: object, v: { followerId: number; followeeId: number }) => db.selectFrom("follows")
  .select("state").where("follower_id", "=", v.followerId).where("followee_id", "=", v.followeeId));
