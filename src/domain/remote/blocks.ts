/**
 * A member blocks (or unblocks) an account on another server: their follows both ways end,
 * and block.created / block.deleted is recorded so the federation module sends Block or Undo.
 */
import type { Db } from "../../db/open.ts";
import { recordEvent } from "../../jobs/events.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";

export async function blockAccount(db: Db, memberId: number, targetId: number): Promise<void> {
  if (memberId === targetId) refuse("invalid", "You cannot block yourself.");
  await db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto("blocks").values({ account_id: memberId, target_id: targetId, created_at: now() })
      .onConflict((oc) => oc.doNothing()).executeTakeFirst();
    if (!inserted.numInsertedOrUpdatedRows) return;
    await trx.deleteFrom("follows").where((eb) => eb.or([
      eb.and([eb("follower_id", "=", memberId), eb("followee_id", "=", targetId)]),
      eb.and([eb("follower_id", "=", targetId), eb("followee_id", "=", memberId)]),
    ])).execute();
    await recordEvent(trx, { type: "block.created", accountId: memberId, targetId });
  });
}

export async function unblockAccount(db: Db, memberId: number, targetId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const deleted = await trx.deleteFrom("blocks").where("account_id", "=", memberId).where("target_id", "=", targetId).executeTakeFirst();
    if (deleted.numDeletedRows > 0n) await recordEvent(trx, { type: "block.deleted", accountId: memberId, targetId });
  });
}

/** Does the member block this account? */
export async function blocks(db: Db, memberId: number, targetId: number): Promise<boolean> {
  const row = await db.selectFrom("blocks").select("target_id").where("account_id", "=", memberId).where("target_id", "=", targetId).executeTakeFirst();
  return row !== undefined;
}

/** The accounts the member blocks, newest block first. */
export async function listBlocks(db: Db, memberId: number): Promise<number[]> {
  const rows = await db.selectFrom("blocks").select("target_id").where("account_id", "=", memberId).orderBy("created_at", "desc").execute();
  return rows.map((r) => r.target_id);
}
