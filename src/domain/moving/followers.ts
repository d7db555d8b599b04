/**
 * Carrying a moved account's followers in this camp over to its new account: each follows the new
 * account (unless they do already) and stops following the old one, through the usual follow and
 * unfollow, so a Follow goes out when the new account is elsewhere. Done by a queued job whose
 * steps can each be repeated, so a crash halfway only means running it again.
 */
import type { Db } from "../../db/open.ts";
import type { Logger } from "../../log.ts";
import type { JobHandler } from "../../jobs/worker.ts";
import { Refusal } from "../errors.ts";
import { follow, followState, unfollow } from "../follows/follow.ts";

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

/** The job handler that moves the followers. */
export function moveFollowersHandler(db: Db, log: Logger): JobHandler {
  return {
    async run(payload) {
      const { fromId, toId } = payload as MoveFollowersJob;
      const moved = await moveLocalFollowers(db, log, fromId, toId);
      log.info("move: followers in the camp carried over", { fromId, toId, moved });
    },
  };
}
