/**
 * The whole data model, designed once with every part of Kith in view:
 * accounts are local members and remote actors alike, so follows, posts, likes,
 * boosts and notifications never need two code paths. Every post carries its
 * audience from the start. Times are integer milliseconds since the epoch.
 * Frozen in time: this file never imports application code.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("camp")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("name", "text", (c) => c.notNull().defaultTo("Our camp"))
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("rules", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("about", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("support_url", "text")
    .addColumn("setup_token_hash", "text")
    .addColumn("authorized_fetch", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("federation_mode", "text", (c) =>
      c.notNull().defaultTo("open").check(sql`federation_mode in ('open', 'allowlist')`),
    )
    .execute();
  await sql`insert into camp (id) values (1)`.execute(db);

  // Local members and remote actors. domain is null for accounts of this camp.
  await db.schema
    .createTable("accounts")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("handle", "text", (c) => c.notNull())
    .addColumn("domain", "text")
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("Person"))
    .addColumn("display_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("bio_source", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("bio_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("avatar_media_id", "integer")
    .addColumn("avatar_url", "text")
    .addColumn("locked", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("uri", "text", (c) => c.unique())
    .addColumn("url", "text")
    .addColumn("inbox_uri", "text")
    .addColumn("shared_inbox_uri", "text")
    .addColumn("followers_uri", "text")
    .addColumn("public_key_id", "text")
    .addColumn("public_key_pem", "text")
    .addColumn("fetched_at", "integer")
    .addColumn("suspended_at", "integer")
    .addColumn("deleted_at", "integer")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await sql`create unique index accounts_handle_domain on accounts (lower(handle), coalesce(domain, ''))`.execute(db);
  await db.schema.createIndex("accounts_domain").on("accounts").column("domain").execute();

  await db.schema
    .createTable("members")
    .addColumn("account_id", "integer", (c) => c.primaryKey().references("accounts.id").onDelete("cascade"))
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) =>
      c.notNull().defaultTo("member").check(sql`role in ('operator', 'moderator', 'member')`),
    )
    .addColumn("operator_note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("invite_id", "integer")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();

  // Key pairs for every actor we sign as: members and the instance actor (an account of kind Application).
  await db.schema
    .createTable("account_keys")
    .addColumn("account_id", "integer", (c) => c.primaryKey().references("accounts.id").onDelete("cascade"))
    .addColumn("rsa_public_pem", "text", (c) => c.notNull())
    .addColumn("rsa_private_pem", "text", (c) => c.notNull())
    .addColumn("ed25519_public", "text", (c) => c.notNull())
    .addColumn("ed25519_private", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_account").on("sessions").column("account_id").execute();

  await db.schema
    .createTable("invites")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", "integer", (c) => c.references("accounts.id").onDelete("set null"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .addColumn("used_at", "integer")
    .addColumn("used_by", "integer", (c) => c.references("accounts.id").onDelete("set null"))
    .execute();

  await db.schema
    .createTable("password_resets")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .addColumn("used_at", "integer")
    .execute();

  // Uploaded files; the bytes live in the data folder's media/ directory under storage_key.
  await db.schema
    .createTable("media")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("owner_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("post_id", "integer")
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("storage_key", "text")
    .addColumn("remote_url", "text")
    .addColumn("mime", "text", (c) => c.notNull())
    .addColumn("bytes", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("width", "integer")
    .addColumn("height", "integer")
    .addColumn("alt", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("media_post").on("media").columns(["post_id", "position"]).execute();

  // Posts of members and of remote actors. A boost is a post with boost_of_id set and no content.
  // audience: camp (default, never leaves the server), followers, unlisted, public, direct.
  await db.schema
    .createTable("posts")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("author_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("audience", "text", (c) =>
      c.notNull().defaultTo("camp").check(sql`audience in ('camp', 'followers', 'unlisted', 'public', 'direct')`),
    )
    .addColumn("uri", "text", (c) => c.unique())
    .addColumn("url", "text")
    .addColumn("in_reply_to_id", "integer", (c) => c.references("posts.id").onDelete("set null"))
    .addColumn("in_reply_to_uri", "text")
    .addColumn("thread_root_id", "integer")
    .addColumn("boost_of_id", "integer", (c) => c.references("posts.id").onDelete("cascade"))
    .addColumn("content_warning", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("source", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("language", "text")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("edited_at", "integer")
    .addColumn("deleted_at", "integer")
    .execute();
  await db.schema.createIndex("posts_author").on("posts").columns(["author_id", "id"]).execute();
  await db.schema.createIndex("posts_reply").on("posts").columns(["in_reply_to_id"]).execute();
  await db.schema.createIndex("posts_thread").on("posts").columns(["thread_root_id", "id"]).execute();
  await db.schema.createIndex("posts_boost").on("posts").columns(["boost_of_id"]).execute();
  await sql`create unique index posts_one_boost on posts (author_id, boost_of_id) where boost_of_id is not null and deleted_at is null`.execute(db);

  await db.schema
    .createTable("post_edits")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("post_id", "integer", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    .addColumn("content_warning", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("html", "text", (c) => c.notNull())
    .addColumn("audience", "text", (c) => c.notNull())
    .addColumn("replaced_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("post_edits_post").on("post_edits").columns(["post_id", "id"]).execute();

  await db.schema
    .createTable("mentions")
    .addColumn("post_id", "integer", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("mentions_pk", ["post_id", "account_id"])
    .execute();
  await db.schema.createIndex("mentions_account").on("mentions").columns(["account_id", "post_id"]).execute();

  await db.schema
    .createTable("post_tags")
    .addColumn("post_id", "integer", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    .addColumn("tag", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("post_tags_pk", ["post_id", "tag"])
    .execute();
  await db.schema.createIndex("post_tags_tag").on("post_tags").columns(["tag", "post_id"]).execute();

  await db.schema
    .createTable("likes")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("post_id", "integer", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    .addColumn("uri", "text", (c) => c.unique())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addUniqueConstraint("likes_once", ["account_id", "post_id"])
    .execute();
  await db.schema.createIndex("likes_post").on("likes").column("post_id").execute();

  // state: pending (waiting for approval or for the remote Accept) or accepted.
  await db.schema
    .createTable("follows")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("follower_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("followee_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("state", "text", (c) => c.notNull().check(sql`state in ('pending', 'accepted')`))
    .addColumn("uri", "text")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addUniqueConstraint("follows_once", ["follower_id", "followee_id"])
    .execute();
  await db.schema.createIndex("follows_followee").on("follows").columns(["followee_id", "state"]).execute();

  await db.schema
    .createTable("blocks")
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("target_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("uri", "text")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("blocks_pk", ["account_id", "target_id"])
    .execute();

  // The member's own filters: muting someone, hiding their boosts, muted words.
  await db.schema
    .createTable("mutes")
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("target_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('mute', 'hide_boosts')`))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("mutes_pk", ["account_id", "target_id", "kind"])
    .execute();
  await db.schema
    .createTable("muted_words")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("word", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull().check(sql`action in ('hide', 'collapse')`))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("notifications")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("recipient_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('reply', 'mention', 'like', 'boost', 'follow', 'follow_request')`),
    )
    .addColumn("actor_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("post_id", "integer", (c) => c.references("posts.id").onDelete("cascade"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("read_at", "integer")
    .execute();
  await db.schema.createIndex("notifications_recipient").on("notifications").columns(["recipient_id", "id"]).execute();

  await db.schema
    .createTable("reports")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("reporter_id", "integer", (c) => c.references("accounts.id").onDelete("set null"))
    .addColumn("target_id", "integer", (c) => c.references("accounts.id").onDelete("cascade"))
    .addColumn("post_ids", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("comment", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("uri", "text", (c) => c.unique())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("resolved_at", "integer")
    .execute();

  // Operator's federation policy per domain: block (in open mode) or allow (in allowlist mode).
  await db.schema
    .createTable("domain_rules")
    .addColumn("domain", "text", (c) => c.primaryKey())
    .addColumn("policy", "text", (c) => c.notNull().check(sql`policy in ('block', 'allow')`))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();

  // Ids of activities already processed, so a redelivered activity changes nothing.
  await db.schema
    .createTable("seen_activities")
    .addColumn("uri", "text", (c) => c.primaryKey())
    .addColumn("received_at", "integer", (c) => c.notNull())
    .execute();

  // Remote inboxes that kept failing; delivery to them pauses until their server contacts us again.
  await db.schema
    .createTable("inbox_health")
    .addColumn("inbox_uri", "text", (c) => c.primaryKey())
    .addColumn("domain", "text", (c) => c.notNull())
    .addColumn("failing_since", "integer")
    .addColumn("unavailable_at", "integer")
    .execute();
  await db.schema.createIndex("inbox_health_domain").on("inbox_health").column("domain").execute();

  // The durable job queue. dedupe_key makes enqueueing the same work twice a no-op.
  await db.schema
    .createTable("jobs")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("dedupe_key", "text", (c) => c.unique())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("run_at", "integer", (c) => c.notNull())
    .addColumn("locked_until", "integer")
    .addColumn("last_error", "text")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("jobs_due").on("jobs").columns(["run_at"]).execute();
}
