/**
 * Feeds in (a member's sources and the entries each has brought in as posts) and outgoing webhooks
 * (targets and their recent deliveries). Frozen in time: this file never imports application code.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("feed_sources")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("audience", "text", (c) => c.notNull().defaultTo("camp"))
    .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("etag", "text")
    .addColumn("last_modified", "text")
    .addColumn("poll_token", "text")
    .addColumn("next_poll_at", "integer")
    .addColumn("failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_checked_at", "integer")
    .addColumn("last_result", "text")
    .addColumn("last_error", "text")
    .addColumn("held_back", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("feed_sources_account_url").unique().on("feed_sources").columns(["account_id", "url"]).execute();

  await db.schema
    .createTable("feed_entries")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    // The post keeps its origin when the member removes the source.
    .addColumn("source_id", "integer", (c) => c.references("feed_sources.id").onDelete("set null"))
    .addColumn("entry_key", "text", (c) => c.notNull())
    .addColumn("post_id", "integer", (c) => c.references("posts.id").onDelete("set null"))
    .addColumn("link", "text")
    .addColumn("origin_host", "text", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("published_at", "integer")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("feed_entries_source_key").unique().on("feed_entries").columns(["source_id", "entry_key"]).execute();
  await db.schema.createIndex("feed_entries_post").on("feed_entries").column("post_id").execute();

  await db.schema
    .createTable("webhooks")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("camp_wide", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("secret", "text", (c) => c.notNull())
    .addColumn("events", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("webhooks_account").on("webhooks").column("account_id").execute();

  await db.schema
    .createTable("webhook_deliveries")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("webhook_id", "integer", (c) => c.notNull().references("webhooks.id").onDelete("cascade"))
    // What caused it (e.g. "reply:42"): a retried event never delivers the same thing twice.
    .addColumn("event_key", "text", (c) => c.notNull())
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("webhook_deliveries_key").unique().on("webhook_deliveries").columns(["webhook_id", "event_key"]).execute();

  await db.schema.alterTable("accounts").addColumn("feed_enabled", "integer", (c) => c.notNull().defaultTo(1)).execute();
}
