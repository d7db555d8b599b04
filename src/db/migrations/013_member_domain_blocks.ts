/**
 * A member's own domain blocks: posts and notifications from accounts on a blocked domain leave
 * that member's streams, threads, search and notifications (the camp's federation rules are
 * separate, in domain_rules). Frozen in time: this file never imports application code.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("member_domain_blocks")
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("domain", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("member_domain_blocks_pk", ["account_id", "domain"])
    .execute();
}
