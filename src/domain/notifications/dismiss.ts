/** A member dismisses one notification, or clears them all (apps offer both; the web page marks them read). */
import type { Db } from "../../db/open.ts";

/** Removes one of the member's notifications; false when there is no such notification of theirs. */
export async function dismissNotification(db: Db, memberId: number, id: number): Promise<boolean> {
  const result = await db.deleteFrom("notifications").where("id", "=", id).where("recipient_id", "=", memberId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Removes every notification of the member. */
export async function clearNotifications(db: Db, memberId: number): Promise<void> {
  await db.deleteFrom("notifications").where("recipient_id", "=", memberId).execute();
}
