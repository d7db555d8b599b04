/**
 * Every page counts the viewer's unread notifications for the navigation. With only
 * notifications_recipient that count reads all of a member's notifications ever received
 * (thousands after a few years) to find the few unread ones; this partial index holds only
 * the unread ones. Measured by the benchmark: 3.2 ms → 0.02 ms per page at 9,400 notifications.
 * Frozen in time: this file never imports application code.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index notifications_unread on notifications (recipient_id, id) where read_at is null`.execute(db);
}
