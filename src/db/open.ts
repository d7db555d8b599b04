/** Opens the camp's one SQLite file with the settings every connection needs, and migrates it. */
import { Kysely, Migrator, SqliteDialect, type MigrationResultSet } from "kysely";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { openSqlite, type SqliteHandle } from "./driver.ts";
import { migrations } from "./migrations/index.ts";
import type { Database } from "./schema.ts";

export type Db = Kysely<Database>;

export interface Store {
  db: Db;
  sqlite: SqliteHandle;
  close(): Promise<void>;
}

/** Opens (creating if needed) the database file in WAL mode with foreign keys and a busy timeout. */
export async function openStore(file: string): Promise<Store> {
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = await openSqlite(file);
  sqlite.exec("PRAGMA busy_timeout = 5000");
  sqlite.exec("PRAGMA journal_mode = WAL");
  sqlite.exec("PRAGMA synchronous = FULL");
  sqlite.exec("PRAGMA foreign_keys = ON");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, sqlite, close: () => db.destroy() };
}

/** Applies every migration not yet applied; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`Migration ${failed} failed: ${String(result.error)}`);
  }
  return result;
}
