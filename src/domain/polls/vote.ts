/**
 * Voting. A member votes on a poll they may see (else 404, through the gate), until it closes. On a
 * poll of this camp a vote may be changed (the new choices replace the old); on a poll from another
 * server it is final, as it is there. A single-choice voter holds one row whatever races: the
 * unique key (poll, voter, slot) refuses a second, and the replacement runs in one transaction.
 */
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { enqueue } from "../../jobs/queue.ts";
import { EVENT_JOB, recordEvent } from "../../jobs/events.ts";
import { reactionTarget } from "../posts/reactionTarget.ts";
import { isClosed } from "./rules.ts";

/** How long a poll's new counts wait before they are sent out, so a burst of votes sends one Update. */
export const COUNTS_DELAY_MS = 60_000;

const uniqueViolation = (error: unknown) => /UNIQUE constraint failed/i.test(String(error));

/** Records the member's choices (option positions); returns the poll's post id. */
export async function voteInPoll(db: Db, accountId: number, postId: number, choices: number[]): Promise<number> {
  const post = await reactionTarget(db, accountId, postId, "This poll was deleted or is not visible to you.");
  const poll = await db.selectFrom("polls").selectAll().where("post_id", "=", post.id).executeTakeFirst();
  if (!poll) return refuse("not_found", "This post has no poll.");
  if (isClosed(poll, now())) refuse("conflict", "This poll has closed: votes are no longer counted.");
  const options = await db.selectFrom("poll_options").select("position").where("poll_id", "=", post.id).execute();
  const chosen = [...new Set(choices)];
  if (chosen.length === 0) refuse("invalid", "Choose an option before voting.", "choice");
  if (!poll.multiple && chosen.length > 1) refuse("invalid", "This poll takes one choice.", "choice");
  if (chosen.some((c) => !options.some((o) => o.position === c))) refuse("invalid", "That option is not in this poll.", "choice");
  const author = await db.selectFrom("accounts").select("domain").where("id", "=", post.author_id).executeTakeFirstOrThrow();
  const remote = author.domain !== null;
  try {
    await db.transaction().execute(async (trx) => {
      const previous = await trx.selectFrom("poll_votes").select("id").where("poll_id", "=", post.id).where("account_id", "=", accountId).execute();
      if (previous.length && remote) refuse("conflict", "You have voted already; a vote on a poll from another server cannot be changed.");
      if (previous.length) await trx.deleteFrom("poll_votes").where("id", "in", previous.map((p) => p.id)).execute();
      await trx.insertInto("poll_votes").values(chosen.map((position) => ({
        poll_id: post.id, account_id: accountId, position, slot: poll.multiple ? position : 0, created_at: now(),
      }))).execute();
      if (remote) await recordEvent(trx, { type: "poll.voted", postId: post.id, accountId });
      else await countsChanged(trx, post.id);
    });
  } catch (error) {
    if (uniqueViolation(error)) refuse("conflict", "Your vote was already counted.");
    throw error;
  }
  return post.id;
}

/** Queues one poll.changed event a minute on, however many votes arrive meanwhile. */
export async function countsChanged(trx: Parameters<typeof enqueue>[0], postId: number): Promise<void> {
  await enqueue(trx, EVENT_JOB, { type: "poll.changed", postId }, { dedupeKey: `poll.changed ${postId}`, runAt: now() + COUNTS_DELAY_MS });
}
