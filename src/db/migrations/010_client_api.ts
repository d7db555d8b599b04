/**
 * The Mastodon client API: apps registered by phone and web clients, one-time authorization codes,
 * access tokens (only their hashes are stored, like sessions), the read markers apps keep, and the
 * secret that signs media links for apps (which load images without a cookie or a token).
 * Frozen in time: this file never imports application code.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("oauth_apps")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("client_id", "text", (c) => c.notNull().unique())
    .addColumn("client_secret_hash", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("website", "text")
    .addColumn("redirect_uris", "text", (c) => c.notNull())
    .addColumn("scopes", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema.createTable("oauth_codes")
    .addColumn("code_hash", "text", (c) => c.primaryKey())
    .addColumn("app_id", "integer", (c) => c.notNull().references("oauth_apps.id").onDelete("cascade"))
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("redirect_uri", "text", (c) => c.notNull())
    .addColumn("scopes", "text", (c) => c.notNull())
    .addColumn("code_challenge", "text")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .addColumn("used_at", "integer")
    .execute();

  await db.schema.createTable("oauth_tokens")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("app_id", "integer", (c) => c.notNull().references("oauth_apps.id").onDelete("cascade"))
    .addColumn("account_id", "integer", (c) => c.references("accounts.id").onDelete("cascade"))
    .addColumn("scopes", "text", (c) => c.notNull())
    .addColumn("code_hash", "text")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("expires_at", "integer")
    .addColumn("last_used_at", "integer")
    .addColumn("revoked_at", "integer")
    .execute();
  await db.schema.createIndex("oauth_tokens_account").on("oauth_tokens").columns(["account_id", "revoked_at"]).execute();
  await db.schema.createIndex("oauth_tokens_code").on("oauth_tokens").column("code_hash").where(sql.ref("code_hash"), "is not", null).execute();

  await db.schema.createTable("api_markers")
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("timeline", "text", (c) => c.notNull())
    .addColumn("last_read_id", "integer", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("api_markers_pk", ["account_id", "timeline"])
    .execute();

  await db.schema.createTable("client_api_secrets")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("secret", "text", (c) => c.notNull())
    .execute();
  await sql`insert into client_api_secrets (name, secret) values ('media_links', lower(hex(randomblob(32))))`.execute(db);
}
