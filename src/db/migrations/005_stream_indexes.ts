/**
 * Indexes the streams need: a member's muted words are looked up for every candidate post of Home,
 * Camp and tag pages, so they must be found by account, not by scanning every member's words.
 * Frozen in time: this file never imports application code.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("muted_words_account").on("muted_words").columns(["account_id", "action"]).execute();
  await db.schema.createIndex("media_owner").on("media").column("owner_id").execute();
}
