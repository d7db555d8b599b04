/**
 * Carrying a moved account's relations in this camp over to its new account: each follower follows
 * the new account (unless they do already) and stops following the old one, through the usual follow
 * and unfollow, so a Follow goes out when the new account is elsewhere; as Mastodon does, members who
 * blocked or muted the old account block or mute the new one (unless they follow it). Done by a
 * queued job whose steps can each be repeated, so a crash halfway only means running it again.
 */
import type { Db } from "../../db/open.ts";
import type { Logger } from "../../log.ts";
import type { JobHandler } from "../../jobs/worker.ts";
import { Refusal } from "../errors.ts";
import { follow, followState, unfollow } from "../follows/follow.ts";
import { addMute } from "../filters/mutes.ts";
import { blockAccount } from "../remote/blocks.ts";

export const MOVE_FOLLOWERS_JOB = "move_followers";

export interface MoveFollowersJob {
  fromId: number;
  toId: number;
}

/** Moves every member who follows `fromId` to follow `toId` instead; returns how many moved. */
export async function moveLocalFollowers(db: Db, log: Logger, fromId: number, toId: number): Promise<number> {
  const followers = await db.selectFrom("follows").innerJoin("accounts", "accounts.id", "follows.follower_id").select("follows.follower_id as id")
    .where("follows.followee_id", "=", fromId).where("accounts.domain", "is", null).where("accounts.deleted_at", "is", null).execute();
  let moved = 0;
  for (const { id } of followers) {
    if (id !== toId && (await followState(db, id, toId)) === null) {
      try {
        await follow(db, id, toId);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        log.info("move: follower not carried over", { followerId: id, toId, reason: error.message });
      }
    }
    if ((await followState(db, id, fromId)) !== null) await unfollow(db, id, fromId);
    moved++;
  }
  return moved;
}

/** Members who blocked or muted the old account block or mute the new one, unless they already follow it. */
export async function carryBlocksAndMutes(db: Db, fromId: number, toId: number): Promise<void> {
  const [blockers, muters] = await Promise.all([
    db.selectFrom("blocks").innerJoin("accounts", "accounts.id", "blocks.account_id").select("blocks.account_id")
      .where("blocks.target_id", "=", fromId).where("accounts.domain", "is", null).execute(),
    db.selectFrom("mutes").innerJoin("accounts", "accounts.id", "mutes.account_id").select("mutes.account_id")
      .where("mutes.target_id", "=", fromId).where("mutes.kind", "=", "mute").where("accounts.domain", "is", null).execute(),
  ]);
  for (const { account_id } of blockers) {
    if (account_id !== toId && (await followState(db, account_id, toId)) === null) await blockAccount(db, account_id, toId);
  }
  for (const { account_id } of muters) {
    if (account_id !== toId && (await followState(db, account_id, toId)) === null) await addMute(db, account_id, toId, "mute");
  }
}

/** The job handler that moves the followers, blocks and mutes. */
export function moveFollowersHandler(db: Db, log: Logger): JobHandler {
  return {
    async run(payload) {
      const { fromId, toId } = payload as MoveFollowersJob;
      const moved = await moveLocalFollowers(db, log, fromId, toId);
      await carryBlocksAndMutes(db, fromId, toId);
      log.info("move: followers in the camp carried over", { fromId, toId, moved });
    },
  };
}
