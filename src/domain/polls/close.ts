/**
 * Closing a poll at its end time: a queued job (made with the poll) marks it closed, tells the
 * author, and records poll.changed so its final counts go out. Running twice changes nothing.
 */
import type { Db } from "../../db/open.ts";
import type { JobHandler } from "../../jobs/worker.ts";
import { recordEvent } from "../../jobs/events.ts";
import { now } from "../clock.ts";
import { notify } from "../notifications/notify.ts";
import { CLOSE_POLL_JOB } from "./create.ts";

/** Closes the poll of this post if its time has come; true when it closed now. */
export async function closePoll(db: Db, postId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const poll = await trx.selectFrom("polls").innerJoin("posts", "posts.id", "polls.post_id")
      .select(["polls.closes_at", "polls.closed_at", "posts.author_id", "posts.deleted_at"]).where("polls.post_id", "=", postId).executeTakeFirst();
    if (!poll || poll.closed_at !== null || poll.deleted_at !== null) return false;
    const at = now();
    if (at < poll.closes_at) return false;
    await trx.updateTable("polls").set({ closed_at: at }).where("post_id", "=", postId).execute();
    await notify(trx, { recipientId: poll.author_id, kind: "poll", actorId: poll.author_id, postId });
    await recordEvent(trx, { type: "poll.changed", postId });
    return true;
  });
}

/** The queue lane for poll.close jobs (one at a time: each is a small transaction). */
export function pollJobLane(db: Db): { concurrency: number; handlers: Record<string, JobHandler> } {
  return {
    concurrency: 1,
    handlers: {
      [CLOSE_POLL_JOB]: {
        async run(payload) {
          const { postId } = payload as { postId: number };
          await closePoll(db, postId);
        },
      },
    },
  };
}
