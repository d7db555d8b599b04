/**
 * Bookmarks and full-text search.
 *
 * Search: an FTS5 index over posts (content warning and text) kept current by triggers, so every
 * way a post is written, edited, soft-deleted or removed updates it in the same statement; a deleted
 * post or a boost is never in it. It reads its text from the posts table itself (external content),
 * which stores no second copy. Remote posts keep their text in `source` (the HTML's words) from now
 * on; rows stored before get it here. Accounts have a small index of their own (handle, name, bio).
 * Frozen in time: this file never imports application code.
 */
import { type Kysely, sql } from "kysely";

/** The words of sanitized HTML, as remote posts now keep them in `source` (a frozen copy of the rule). */
function wordsOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("bookmarks")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("post_id", "integer", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addUniqueConstraint("bookmarks_once", ["account_id", "post_id"])
    .execute();
  await db.schema.createIndex("bookmarks_account").on("bookmarks").columns(["account_id", "id"]).execute();

  const remote = await sql<{ id: number; html: string }>`
    select posts.id, posts.html from posts join accounts on accounts.id = posts.author_id
    where accounts.domain is not null and posts.source = '' and posts.html != ''`.execute(db);
  for (const row of remote.rows) {
    await sql`update posts set source = ${wordsOf(row.html)} where id = ${row.id}`.execute(db);
  }

  // A post is indexed exactly while it is alive and not a boost; the triggers hold to that one condition,
  // because FTS5's external-content 'delete' must be given the values that were indexed.
  await sql`create virtual table posts_fts using fts5(content_warning, source, content='posts', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`.execute(db);
  await sql`insert into posts_fts (rowid, content_warning, source)
    select id, content_warning, source from posts where deleted_at is null and boost_of_id is null`.execute(db);
  await sql`create trigger posts_fts_insert after insert on posts when new.deleted_at is null and new.boost_of_id is null begin
    insert into posts_fts (rowid, content_warning, source) values (new.id, new.content_warning, new.source);
  end`.execute(db);
  await sql`create trigger posts_fts_delete after delete on posts when old.deleted_at is null and old.boost_of_id is null begin
    insert into posts_fts (posts_fts, rowid, content_warning, source) values ('delete', old.id, old.content_warning, old.source);
  end`.execute(db);
  await sql`create trigger posts_fts_update after update of content_warning, source, deleted_at on posts begin
    insert into posts_fts (posts_fts, rowid, content_warning, source)
      select 'delete', old.id, old.content_warning, old.source where old.deleted_at is null and old.boost_of_id is null;
    insert into posts_fts (rowid, content_warning, source)
      select new.id, new.content_warning, new.source where new.deleted_at is null and new.boost_of_id is null;
  end`.execute(db);

  // A pasted post address is looked up by its url (Mastodon's page address differs from its id).
  await sql`create index posts_url on posts (url) where url is not null`.execute(db);

  await sql`create virtual table accounts_fts using fts5(handle, display_name, bio_source, content='accounts', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`.execute(db);
  await sql`insert into accounts_fts (accounts_fts) values ('rebuild')`.execute(db);
  await sql`create trigger accounts_fts_insert after insert on accounts begin
    insert into accounts_fts (rowid, handle, display_name, bio_source) values (new.id, new.handle, new.display_name, new.bio_source);
  end`.execute(db);
  await sql`create trigger accounts_fts_delete after delete on accounts begin
    insert into accounts_fts (accounts_fts, rowid, handle, display_name, bio_source) values ('delete', old.id, old.handle, old.display_name, old.bio_source);
  end`.execute(db);
  await sql`create trigger accounts_fts_update after update of handle, display_name, bio_source on accounts begin
    insert into accounts_fts (accounts_fts, rowid, handle, display_name, bio_source) values ('delete', old.id, old.handle, old.display_name, old.bio_source);
    insert into accounts_fts (rowid, handle, display_name, bio_source) values (new.id, new.handle, new.display_name, new.bio_source);
  end`.execute(db);
}
