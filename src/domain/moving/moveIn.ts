/**
 * An account that members here follow says it moved (`Move`). Following Mastodon's rules, the move
 * is followed only when the new account lists the old one in its `alsoKnownAs`; moves of accounts
 * that moved in the last 7 days are ignored, and so is a move to an account that has itself moved
 * away (a loop A → B → A, or a chain). Then the members following it follow the new account.
 */
import type { Db } from "../../db/open.ts";
import { DAY, now } from "../clock.ts";
import { enqueue } from "../../jobs/queue.ts";
import { MOVE_FOLLOWERS_JOB, type MoveFollowersJob } from "./followers.ts";

export const MOVE_IN_COOLDOWN_DAYS = 7;

/** The account moved to, as just fetched. */
export interface MovedToAccount {
  id: number;
  uri: string;
  alsoKnownAs: string[];
  movedTo: string | null;
}

/** Records the move and queues carrying the followers over, or says why it is ignored. */
export async function followMove(db: Db, origin: { id: number; uri: string }, target: MovedToAccount): Promise<{ moved: true } | { ignored: string }> {
  const row = await db.selectFrom("accounts").select(["moved_at", "moved_to_uri"]).where("id", "=", origin.id).executeTakeFirstOrThrow();
  if (row.moved_at !== null && row.moved_at > now() - MOVE_IN_COOLDOWN_DAYS * DAY) return { ignored: `the account moved less than ${MOVE_IN_COOLDOWN_DAYS} days ago` };
  if (target.id === origin.id) return { ignored: "the account says it moved to itself" };
  if (target.movedTo !== null) return { ignored: `the new account has itself moved to ${target.movedTo} (a loop or a chain)` };
  if (!target.alsoKnownAs.includes(origin.uri)) return { ignored: "the new account does not list the old one in alsoKnownAs" };
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("accounts").set({ moved_to_uri: target.uri, moved_at: now() }).where("id", "=", origin.id).execute();
    const job: MoveFollowersJob = { fromId: origin.id, toId: target.id };
    await enqueue(trx, MOVE_FOLLOWERS_JOB, job);
  });
  return { moved: true };
}
