/**
 * What running a camp for years needs in the database: a note on how each report was resolved
 * and by whom, the operator's switch for whether moderators may suspend members, and the log of
 * every moderation action the operator can read.
 * Frozen in time: this file never imports application code.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("reports").addColumn("resolution_note", "text", (c) => c.notNull().defaultTo("")).execute();
  await db.schema.alterTable("reports").addColumn("resolved_by", "integer", (c) => c.references("accounts.id").onDelete("set null")).execute();
  await db.schema.alterTable("camp").addColumn("moderators_may_suspend", "integer", (c) => c.notNull().defaultTo(1)).execute();
  await db.schema
    .createTable("moderation_log")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("actor_id", "integer", (c) => c.references("accounts.id").onDelete("set null"))
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_account_id", "integer", (c) => c.references("accounts.id").onDelete("set null"))
    .addColumn("report_id", "integer", (c) => c.references("reports.id").onDelete("set null"))
    .addColumn("post_id", "integer", (c) => c.references("posts.id").onDelete("set null"))
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("moderation_log_created").on("moderation_log").column("created_at").execute();
}
