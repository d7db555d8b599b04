/**
 * Follow requests for members who approve followers themselves (a locked account, as Mastodon
 * calls it): turning approval on or off, listing who asks, approving and declining. Each answer
 * records follow.accepted or follow.rejected, so a follower on another server hears it.
 */
import type { Db } from "../../db/open.ts";
import { recordEvent } from "../../jobs/events.ts";
import { refuse } from "../errors.ts";
import { notify } from "../notifications/notify.ts";

export async function setApprovesFollowers(db: Db, memberId: number, approves: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("accounts").set({ locked: approves ? 1 : 0 }).where("id", "=", memberId).where("domain", "is", null).execute();
    await recordEvent(trx, { type: "account.updated", accountId: memberId });
  });
}

/** People waiting for the member's answer, oldest first. */
export function pendingFollowRequests(db: Db, memberId: number) {
  return db.selectFrom("follows").innerJoin("accounts", "accounts.id", "follows.follower_id")
    .select(["accounts.id", "accounts.handle", "accounts.domain", "accounts.display_name", "follows.created_at"])
    .where("follows.followee_id", "=", memberId).where("follows.state", "=", "pending")
    .where("accounts.suspended_at", "is", null).orderBy("follows.id").execute();
}

async function pending(db: Db, memberId: number, followerId: number) {
  const follow = await db.selectFrom("follows").select(["id", "uri"]).where("follower_id", "=", followerId).where("followee_id", "=", memberId).where("state", "=", "pending").executeTakeFirst();
  return follow ?? refuse("not_found", "That follow request was withdrawn or already answered.");
}

export async function approveFollowRequest(db: Db, memberId: number, followerId: number): Promise<void> {
  const follow = await pending(db, memberId, followerId);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("follows").set({ state: "accepted" }).where("id", "=", follow.id).execute();
    await notify(trx, { recipientId: memberId, kind: "follow", actorId: followerId, postId: null });
    await recordEvent(trx, { type: "follow.accepted", followId: follow.id });
  });
}

export async function declineFollowRequest(db: Db, memberId: number, followerId: number): Promise<void> {
  const follow = await pending(db, memberId, followerId);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("follows").where("id", "=", follow.id).execute();
    await recordEvent(trx, { type: "follow.rejected", followerId, followeeId: memberId, followUri: follow.uri });
  });
}
