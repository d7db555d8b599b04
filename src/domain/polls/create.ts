/** Storing a member's new poll with its post, and queueing its closing for the end time. */
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { enqueue } from "../../jobs/queue.ts";
import type { PollInput } from "./rules.ts";

export const CLOSE_POLL_JOB = "poll.close";

/** Writes the poll of a post being created (inside its transaction) and the job that closes it. */
export async function insertPoll(trx: Kysely<Database>, postId: number, poll: PollInput): Promise<void> {
  await trx.insertInto("polls").values({ post_id: postId, multiple: poll.multiple ? 1 : 0, closes_at: poll.closesAt }).execute();
  await trx.insertInto("poll_options").values(poll.options.map((title, position) => ({ poll_id: postId, position, title }))).execute();
  await enqueue(trx, CLOSE_POLL_JOB, { postId }, { dedupeKey: `poll.close ${postId}`, runAt: poll.closesAt });
}
