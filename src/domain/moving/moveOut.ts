/**
 * Moving out: a member names their new account, which must already list this one in its
 * `alsoKnownAs` (the caller fetches it fresh through the guarded fetch). The account is marked
 * moved, `account.moved` is recorded for federation to send `Move` to followers elsewhere, and
 * the followers in this camp are carried over by a queued job. Like Mastodon, once per 30 days.
 */
import type { Db } from "../../db/open.ts";
import { DAY, now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { enqueue } from "../../jobs/queue.ts";
import { recordEvent } from "../../jobs/events.ts";
import { verifyPassword } from "../members/passwords.ts";
import { MOVE_FOLLOWERS_JOB, type MoveFollowersJob } from "./followers.ts";

export const MOVE_COOLDOWN_DAYS = 30;

/** The new account as just fetched: its id here, its ActivityPub id, and whom it says it also is. */
export interface MoveTarget {
  id: number;
  uri: string;
  address: string;
  alsoKnownAs: string[];
}

/** Moves the member to `target`, after checking their password and the target's alias. */
export async function moveAccount(db: Db, accountId: number, self: { uri: string; address: string }, target: MoveTarget, password: string): Promise<void> {
  const member = await db.selectFrom("accounts").innerJoin("members", "members.account_id", "accounts.id")
    .select(["members.password_hash", "accounts.moved_at", "accounts.moved_to_uri"]).where("accounts.id", "=", accountId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(password, member.password_hash))) refuse("invalid", "That is not your password. Nothing was changed.", "password");
  if (target.id === accountId) refuse("invalid", "That is this account. Name your new account on the other server.", "target");
  if (member.moved_to_uri === target.uri) refuse("conflict", `You have already moved to ${target.address}.`, "target");
  if (member.moved_at !== null && member.moved_at > now() - MOVE_COOLDOWN_DAYS * DAY) {
    refuse("too_many", `You moved less than ${MOVE_COOLDOWN_DAYS} days ago; you can move again after ${new Date(member.moved_at + MOVE_COOLDOWN_DAYS * DAY).toISOString().slice(0, 10)}.`, "target");
  }
  if (!target.alsoKnownAs.includes(self.uri)) {
    refuse("invalid", `${target.address} does not list this account as an alias yet. On your new account, add ${self.address} as an alias ("Moving from a different account"), then try again.`, "target");
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("accounts").set({ moved_to_uri: target.uri, moved_at: now() }).where("id", "=", accountId).execute();
    await recordEvent(trx, { type: "account.moved", accountId });
    const job: MoveFollowersJob = { fromId: accountId, toId: target.id };
    await enqueue(trx, MOVE_FOLLOWERS_JOB, job);
  });
}
