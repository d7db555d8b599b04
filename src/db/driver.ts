/**
 * The driver seam: one small interface over the two SQLite drivers we run on.
 * Under Bun (and inside the compiled binary) we use `bun:sqlite`, because
 * better-sqlite3's native addon does not load there; under Node we use better-sqlite3.
 */
import type { SqliteDatabase } from "kysely";

export interface SqliteHandle extends SqliteDatabase {
  /** Runs one or more statements that return nothing (PRAGMAs, VACUUM INTO). */
  exec(sql: string): void;
  /** Runs a statement and returns its rows, outside Kysely (for PRAGMAs that answer). */
  query(sql: string): unknown[];
}

type Statement = ReturnType<SqliteDatabase["prepare"]>;

/**
 * Compiling SQL costs more than running most of our queries, and Kysely sends the same few
 * hundred statements again and again; keep the most recent ones compiled. Safe because
 * Kysely runs one query at a time on our single connection.
 */
function cachedStatements(prepare: (sql: string) => Statement, capacity = 500): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (text) => {
    const sql = text === "begin" ? BEGIN_WRITE : text;
    let stmt = cache.get(sql);
    if (stmt) {
      cache.delete(sql);
    } else {
      stmt = prepare(sql);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, stmt);
    return stmt;
  };
}

/**
 * Kysely opens every transaction with a plain `begin`, which takes the write lock only at the first
 * write. With several processes on the file (HTTP workers), a transaction that read first then finds
 * another process has written meanwhile, and fails with SQLITE_BUSY at once, without waiting out the
 * busy timeout. Our transactions exist to write, so they take the lock up front and wait for it.
 */
const BEGIN_WRITE = "begin immediate";

export const runningUnderBun = typeof process !== "undefined" && !!process.versions?.bun;

/** Opens a SQLite file with the driver that fits the runtime. */
export async function openSqlite(file: string): Promise<SqliteHandle> {
  return runningUnderBun ? openBunSqlite(file) : openBetterSqlite(file);
}

async function openBunSqlite(file: string): Promise<SqliteHandle> {
  const { Database } = await import("bun:sqlite");
  const db = new Database(file, { create: true });
  return {
    prepare: cachedStatements((sql) => {
      const stmt = db.prepare(sql);
      return {
        reader: stmt.columnNames.length > 0,
        all: (p) => stmt.all(...(p as never[])),
        run: (p) => stmt.run(...(p as never[])),
        iterate: (p) => stmt.iterate(...(p as never[])),
      };
    }),
    exec: (sql) => db.exec(sql),
    query: (sql) => db.prepare(sql).all(),
    close: () => db.close(),
  };
}

async function openBetterSqlite(file: string): Promise<SqliteHandle> {
  // The specifier is built at run time so that `bun build` never tries to bundle the native addon.
  const moduleName = "better-sqlite3";
  const { default: Database } = (await import(moduleName)) as { default: typeof import("better-sqlite3") };
  const db = new Database(file);
  return {
    prepare: cachedStatements((sql) => {
      const stmt = db.prepare(sql);
      return {
        reader: stmt.reader,
        all: (p) => stmt.all(...p),
        run: (p) => stmt.run(...p),
        iterate: (p) => stmt.iterate(...p) as IterableIterator<unknown>,
      };
    }),
    exec: (sql) => void db.exec(sql),
    query: (sql) => db.prepare(sql).all(),
    close: () => db.close(),
  };
}
