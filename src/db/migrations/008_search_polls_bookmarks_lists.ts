/**
 * Bookmarks, full-text search, polls and lists.
 *
 * Search: an FTS5 index over posts (content warning and text) kept current by triggers, so every
 * way a post is written, edited, soft-deleted or removed updates it in the same statement; a deleted
 * post or a boost is never in it. It reads its text from the posts table itself (external content),
 * which stores no second copy. Remote posts keep their text in `source` (the HTML's words) from now
 * on; rows stored before get it here. Accounts have a small index of their own (handle, name, bio).
 *
 * Polls: a post may carry one poll (its options and votes beside it). A vote row's `slot` is 0 on a
 * single-choice poll and the option's position on a multiple-choice one, so the unique key
 * (poll, voter, slot) lets a single-choice voter hold exactly one vote whatever races. Remote polls
 * keep their server's counts on the options. Notifications gain the kind `poll` (a poll closed),
 * which needs the table rebuilt, since SQLite cannot change a CHECK constraint in place.
 *
 * Lists: a member groups people they follow; an exclusive list's people leave the member's Home.
 * list_members_account finds, for Home, the exclusive lists a followed person is in. A member may
 * follow tags too: their public and camp posts join Home.
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

  await db.schema
    .createTable("polls")
    .addColumn("post_id", "integer", (c) => c.primaryKey().references("posts.id").onDelete("cascade"))
    .addColumn("multiple", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("closes_at", "integer", (c) => c.notNull())
    .addColumn("closed_at", "integer")
    // Remote polls: the voters their server counted; local polls count their own rows.
    .addColumn("voters_count", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable("poll_options")
    .addColumn("poll_id", "integer", (c) => c.notNull().references("polls.post_id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("votes_count", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("poll_options_pk", ["poll_id", "position"])
    .execute();
  await db.schema
    .createTable("poll_votes")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("poll_id", "integer", (c) => c.notNull().references("polls.post_id").onDelete("cascade"))
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("slot", "integer", (c) => c.notNull())
    .addColumn("uri", "text", (c) => c.unique())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addUniqueConstraint("poll_votes_once", ["poll_id", "account_id", "slot"])
    .execute();
  await db.schema.createIndex("poll_votes_poll").on("poll_votes").columns(["poll_id", "position"]).execute();

  await sql`create table notifications_new (
    id integer primary key autoincrement,
    recipient_id integer not null references accounts (id) on delete cascade,
    kind text not null check (kind in ('reply', 'mention', 'like', 'boost', 'follow', 'follow_request', 'poll')),
    actor_id integer not null references accounts (id) on delete cascade,
    post_id integer references posts (id) on delete cascade,
    created_at integer not null,
    read_at integer
  )`.execute(db);
  await sql`insert into notifications_new (id, recipient_id, kind, actor_id, post_id, created_at, read_at)
    select id, recipient_id, kind, actor_id, post_id, created_at, read_at from notifications`.execute(db);
  await sql`drop table notifications`.execute(db);
  await sql`alter table notifications_new rename to notifications`.execute(db);
  await sql`create index notifications_recipient on notifications (recipient_id, id)`.execute(db);
  await sql`create index notifications_unread on notifications (recipient_id, id) where read_at is null`.execute(db);

  await db.schema
    .createTable("lists")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("exclusive", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("lists_account").on("lists").columns(["account_id", "id"]).execute();
  await db.schema
    .createTable("list_members")
    .addColumn("list_id", "integer", (c) => c.notNull().references("lists.id").onDelete("cascade"))
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("list_members_pk", ["list_id", "account_id"])
    .execute();
  await db.schema.createIndex("list_members_account").on("list_members").columns(["account_id", "list_id"]).execute();

  await db.schema
    .createTable("followed_tags")
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("tag", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("followed_tags_pk", ["account_id", "tag"])
    .execute();
}
