/**
 * Apps hear of edited and deleted posts while they stream (src/domain/live/changes.ts), asked every
 * half second: this partial index holds only posts that ever changed, by when they last changed.
 * Frozen in time: this file never imports application code.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index posts_changed on posts (coalesce(deleted_at, edited_at)) where coalesce(deleted_at, edited_at) is not null`.execute(db);
}

