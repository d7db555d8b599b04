/**
 * Post cards are cached as markup (views/components/cardCache.ts), keyed by the post's and its
 * author's `card_version`. The versions are bumped by triggers, not by the code that writes, so no
 * write path (the web, the client API, the federation inbox, feed imports, moderation, account
 * deletion) can forget one; and since they live in the database every HTTP process reads the new
 * version with the page's own queries, so a write made by one process reaches every other's cache.
 * Frozen in time: this file never imports application code.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("posts").addColumn("card_version", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("accounts").addColumn("card_version", "integer", (c) => c.notNull().defaultTo(0)).execute();
  // Any change to the row itself (text, content warning, edit time, deletion, audience...). The
  // condition keeps the trigger's own update from firing it again.
  await sql`create trigger posts_card_version after update on posts when new.card_version = old.card_version begin
    update posts set card_version = old.card_version + 1 where id = new.id;
  end`.execute(db);
  // The author's name, handle, avatar, suspension or deletion.
  await sql`create trigger accounts_card_version after update on accounts when new.card_version = old.card_version begin
    update accounts set card_version = old.card_version + 1 where id = new.id;
  end`.execute(db);
  // A post's images and their descriptions, and the feed entry it came from (its "from" line).
  for (const table of ["media", "feed_entries"]) {
    await sql`create trigger ${sql.raw(`${table}_card_version_insert`)} after insert on ${sql.table(table)} when new.post_id is not null begin
      update posts set card_version = card_version + 1 where id = new.post_id;
    end`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_card_version_update`)} after update on ${sql.table(table)} begin
      update posts set card_version = card_version + 1 where id in (old.post_id, new.post_id);
    end`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_card_version_delete`)} after delete on ${sql.table(table)} when old.post_id is not null begin
      update posts set card_version = card_version + 1 where id = old.post_id;
    end`.execute(db);
  }
}
