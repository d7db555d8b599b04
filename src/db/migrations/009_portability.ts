/**
 * Moving data in and out: archive exports (one row per request, the file on disk), CSV imports
 * (each row stored so a crash resumes where it stopped, and each processed once), and the
 * accounts' aliases and moves (alsoKnownAs, movedTo). Frozen in time: never imports app code.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("accounts").addColumn("also_known_as", "text", (c) => c.notNull().defaultTo("[]")).execute();
  await db.schema.alterTable("accounts").addColumn("moved_to_uri", "text").execute();
  await db.schema.alterTable("accounts").addColumn("moved_at", "integer").execute();

  await db.schema.createTable("exports")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("state", "text", (c) => c.notNull().defaultTo("queued"))
    .addColumn("done_items", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("total_items", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("file_name", "text")
    .addColumn("bytes", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("error", "text")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("finished_at", "integer")
    .addColumn("expires_at", "integer")
    .execute();
  // One archive at a time per member: a second unfinished export cannot exist.
  await sql`create unique index exports_one_running on exports (account_id) where state in ('queued', 'running')`.execute(db);

  await db.schema.createTable("imports")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("total_rows", "integer", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("finished_at", "integer")
    .execute();
  await db.schema.createIndex("imports_account").on("imports").columns(["account_id", "id"]).execute();

  await db.schema.createTable("import_rows")
    .addColumn("import_id", "integer", (c) => c.notNull().references("imports.id").onDelete("cascade"))
    .addColumn("row_no", "integer", (c) => c.notNull())
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("options", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("result", "text")
    .addColumn("detail", "text", (c) => c.notNull().defaultTo(""))
    .addPrimaryKeyConstraint("import_rows_pk", ["import_id", "row_no"])
    .execute();
  await sql`create index import_rows_pending on import_rows (import_id, row_no) where result is null`.execute(db);
}
