/**
 * Polls across servers, without ActivityPub vocabulary: a remote post's poll as its server
 * reported it (kept current by that server's Updates), and votes from other servers on this
 * camp's polls. The federation module parses and calls these after checking origins.
 */
import type { Kysely } from "kysely";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import { now } from "../clock.ts";
import { findVisiblePost } from "../posts/visibility.ts";
import { countsChanged } from "./vote.ts";
import { isClosed, MAX_REMOTE_OPTION_CHARS, MAX_REMOTE_OPTIONS } from "./rules.ts";

export interface RemotePoll {
  multiple: boolean;
  closesAt: number;
  closedAt: number | null;
  votersCount: number;
  options: { title: string; votes: number }[];
}

/** Whether a remote poll is within the caps we keep (more is dropped, the post kept without it). */
export function withinRemoteCaps(poll: RemotePoll): boolean {
  return poll.options.length >= 1 && poll.options.length <= MAX_REMOTE_OPTIONS
    && poll.options.every((o) => o.title.length > 0 && o.title.length <= MAX_REMOTE_OPTION_CHARS);
}

const count = (n: number) => (Number.isSafeInteger(n) && n > 0 ? n : 0);

/**
 * Stores or refreshes a remote post's poll (inside its transaction). Same options: new counts,
 * members' votes kept. Changed options: a new poll, earlier votes dropped.
 */
export async function writeRemotePoll(trx: Kysely<Database>, postId: number, poll: RemotePoll): Promise<void> {
  const row = { multiple: poll.multiple ? 1 : 0, closes_at: poll.closesAt, closed_at: poll.closedAt, voters_count: count(poll.votersCount) };
  await trx.insertInto("polls").values({ post_id: postId, ...row }).onConflict((oc) => oc.column("post_id").doUpdateSet(row)).execute();
  const existing = await trx.selectFrom("poll_options").select("title").where("poll_id", "=", postId).orderBy("position").execute();
  const same = existing.length === poll.options.length && existing.every((o, i) => o.title === poll.options[i]!.title);
  if (!same) {
    await trx.deleteFrom("poll_votes").where("poll_id", "=", postId).execute();
    await trx.deleteFrom("poll_options").where("poll_id", "=", postId).execute();
    await trx.insertInto("poll_options").values(poll.options.map((o, position) => ({ poll_id: postId, position, title: o.title, votes_count: count(o.votes) }))).execute();
    return;
  }
  for (const [position, o] of poll.options.entries()) {
    await trx.updateTable("poll_options").set({ votes_count: count(o.votes) }).where("poll_id", "=", postId).where("position", "=", position).execute();
  }
}

/**
 * A vote from another server on one of this camp's polls: counted when the voter may see the poll
 * and it is open, once per option (a single-choice poll takes one vote per voter). True when counted.
 */
export async function recordRemoteVote(db: Db, postId: number, voterId: number, optionTitle: string, uri: string): Promise<boolean> {
  const post = await findVisiblePost(db, { kind: "remote", accountId: voterId }, postId);
  const poll = post && (await db.selectFrom("polls").selectAll().where("post_id", "=", postId).executeTakeFirst());
  if (!poll || isClosed(poll, now())) return false;
  const option = await db.selectFrom("poll_options").select("position").where("poll_id", "=", postId).where("title", "=", optionTitle).executeTakeFirst();
  if (!option) return false;
  return db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto("poll_votes")
      .values({ poll_id: postId, account_id: voterId, position: option.position, slot: poll.multiple ? option.position : 0, uri, created_at: now() })
      .onConflict((oc) => oc.doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await countsChanged(trx, postId);
    return true;
  });
}
