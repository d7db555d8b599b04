/**
 * Mentions of people on other servers (`@user@domain`) that we could not yet tie to an account.
 * The federation module resolves them (WebFinger) and moves each into `mentions`.
 * Frozen in time: this file never imports application code.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("pending_mentions")
    .addColumn("post_id", "integer", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    .addColumn("acct", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("pending_mentions_pk", ["post_id", "acct"])
    .execute();
  await db.schema.createIndex("pending_mentions_acct").on("pending_mentions").column("acct").execute();
}
