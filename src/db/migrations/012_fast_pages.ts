/**
 * Several HTTP workers serve one camp, so a rate limit kept in one process's memory would let an
 * abuser try N times as often: the counts live here, shared by every worker.
 * Frozen in time: this file never imports application code.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("rate_limits")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("window_start", "integer", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .execute();
}
