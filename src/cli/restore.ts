/**
 * `kith restore FILE`: put a backup back. It refuses while a server uses the data folder, unpacks
 * into a staging folder beside the data, checks the database (integrity, and that it is a Kith
 * database this version can run) before touching anything, then swaps it in with a rename. The
 * previous database and media are kept in DATA/before-restore-TIMESTAMP/. `kith restore
 * REMOTE:PATH/kith-DATE.tar` first fetches and decrypts an off-site copy (offsite.ts).
 */
import { chownSync, closeSync, copyFileSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Config } from "../config.ts";
import { openSqlite } from "../db/driver.ts";
import { migrations } from "../db/migrations/index.ts";
import { Refusal } from "../domain/errors.ts";
import { UsageError, type ParsedArgs } from "./args.ts";
import { ARCHIVE_DB, ARCHIVE_MEDIA, stamp } from "./backup.ts";
import { lockDataFolder } from "./dataLock.ts";
import { backupPassphrase, fetchOffsite, parseRemoteBackup } from "./offsite.ts";
import { extractTar, looksLikeTar, TarError } from "../archive/tar.ts";

const SAFE_MEDIA_NAME = /^media\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** The `restore` command. */
export async function restore(config: Config, args: ParsedArgs): Promise<number> {
  const given = args.positional[0]!;
  const remote = existsSync(resolve(given)) ? null : parseRemoteBackup(given);
  if (!remote && !existsSync(resolve(given))) throw new UsageError(`there is no file at ${resolve(given)}.`);
  const passphrase = remote ? backupPassphrase(config) : null;
  const release = lockDataFolder(config.dataDir, "the restore");
  const staging = join(config.dataDir, `.restore-${process.pid}`);
  const download = join(config.dataDir, `.restore-download-${process.pid}`);
  try {
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    let archive = resolve(given);
    if (remote) {
      mkdirSync(download, { recursive: true });
      console.log(`Fetching ${remote.target}/${remote.name} and decrypting it.`);
      archive = await fetchOffsite(remote.target, remote.name, passphrase!, download);
    }
    const shownAs = remote ? `${remote.target}/${remote.name}` : archive;
    const mediaCount = unpack(archive, staging, shownAs);
    await checkKithDatabase(join(staging, ARCHIVE_DB), shownAs);
    // A camp without uploads yet has no media in its backup; it still gets its (empty) folder.
    mkdirSync(join(staging, ARCHIVE_MEDIA), { recursive: true });
    giveToDataOwner(staging, config.dataDir);
    const kept = await swapIn(config, staging);
    console.log(`Restored ${shownAs} into ${config.dataDir} (the database and ${mediaCount} media file${mediaCount === 1 ? "" : "s"}).`);
    if (kept) console.log(`The data it replaced is kept in ${kept}; delete that folder once the camp looks right.`);
    return 0;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(download, { recursive: true, force: true });
    release();
  }
}

/** Unpacks a backup archive (or takes a bare SQLite file) into `staging`; returns the media count. */
export function unpack(archive: string, staging: string, shownAs = archive): number {
  if (isSqliteFile(archive)) {
    copyFileSync(archive, join(staging, ARCHIVE_DB));
    return 0;
  }
  if (!looksLikeTar(archive)) throw new Refusal("invalid", `${shownAs} is not a Kith backup: it is neither a backup archive (.tar) nor a SQLite database. Nothing was changed.`);
  try {
    const names = extractTar(archive, staging, (name) => name === ARCHIVE_DB || SAFE_MEDIA_NAME.test(name));
    if (!names.includes(ARCHIVE_DB)) throw new TarError(`it holds no ${ARCHIVE_DB}.`);
    return names.length - 1;
  } catch (error) {
    if (error instanceof TarError) throw new Refusal("invalid", `${shownAs} is not a usable Kith backup: ${error.message} Nothing was changed.`);
    throw error;
  }
}

function isSqliteFile(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(16);
    return readSync(fd, head, 0, 16, 0) === 16 && head.toString("latin1") === "SQLite format 3\0";
  } finally {
    closeSync(fd);
  }
}

/**
 * Run as root (say with sudo on a server), the restored files would belong to root and the server's
 * own user could not open them: hand them to whoever owns the data folder.
 */
function giveToDataOwner(folder: string, dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  const { uid, gid } = statSync(dataDir);
  chownSync(folder, uid, gid);
  for (const name of readdirSync(folder, { recursive: true }) as string[]) chownSync(join(folder, name), uid, gid);
}

/** Refuses a database that is damaged, is not Kith's, or comes from a newer Kith than this one. */
export async function checkKithDatabase(file: string, shownAs: string): Promise<void> {
  const refuseWith = (why: string) => new Refusal("invalid", `${shownAs} cannot be restored: ${why} Nothing was changed.`);
  let sqlite;
  try {
    sqlite = await openSqlite(file);
  } catch (error) {
    throw refuseWith(`its database does not open (${(error as Error).message}).`);
  }
  try {
    const integrity = tryQuery(sqlite, "PRAGMA integrity_check") as { integrity_check: string }[] | Error;
    if (integrity instanceof Error) throw refuseWith(`its database is damaged (${integrity.message}).`);
    const findings = integrity.map((row) => row.integrity_check);
    if (findings.join() !== "ok") throw refuseWith(`its database is damaged (${findings.slice(0, 3).join("; ")}).`);
    const applied = tryQuery(sqlite, "SELECT name FROM kysely_migration ORDER BY name") as { name: string }[] | Error;
    const hasCamp = tryQuery(sqlite, "SELECT id FROM camp WHERE id = 1");
    if (applied instanceof Error || hasCamp instanceof Error || !applied.some((m) => m.name === "001_initial")) {
      throw refuseWith("its database is not a Kith camp's database.");
    }
    const unknown = applied.map((m) => m.name).filter((name) => !(name in migrations));
    if (unknown.length) throw refuseWith(`it was made by a newer Kith (it has migrations ${unknown.join(", ")}). Upgrade Kith first.`);
  } finally {
    sqlite.close();
  }
}

function tryQuery(sqlite: { query(sql: string): unknown[] }, statement: string): unknown[] | Error {
  try {
    return sqlite.query(statement);
  } catch (error) {
    return error as Error;
  }
}

/**
 * Replaces the database with one atomic rename (the old file is hard-linked into the keep folder
 * first, so it is never without a name), then swaps the media folder. Returns the keep folder.
 */
async function swapIn(config: Config, staging: string): Promise<string | null> {
  const hadData = existsSync(config.dbFile) || existsSync(config.mediaDir);
  const keep = hadData ? makeKeepFolder(config.dataDir, new Date()) : "";
  if (hadData) giveToDataOwner(keep, config.dataDir);
  if (existsSync(config.dbFile)) {
    await checkpoint(config.dbFile);
    preserve(config.dbFile, join(keep, ARCHIVE_DB));
    for (const suffix of ["-wal", "-shm"]) {
      if (existsSync(config.dbFile + suffix)) renameSync(config.dbFile + suffix, join(keep, ARCHIVE_DB + suffix));
    }
  }
  renameSync(join(staging, ARCHIVE_DB), config.dbFile);
  if (existsSync(config.mediaDir)) renameSync(config.mediaDir, join(keep, ARCHIVE_MEDIA));
  renameSync(join(staging, ARCHIVE_MEDIA), config.mediaDir);
  return hadData ? keep : null;
}

/**
 * Makes DATA/before-restore-STAMP for the data a restore replaces; a second restore within the
 * same second gets before-restore-STAMP-2 (and so on) instead of failing on the existing folder.
 */
export function makeKeepFolder(dataDir: string, at: Date): string {
  const base = join(dataDir, `before-restore-${stamp(at)}`);
  for (let n = 1; ; n++) {
    const folder = n === 1 ? base : `${base}-${n}`;
    try {
      mkdirSync(folder);
      return folder;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** Folds the write-ahead log into the database file, so the file alone is the whole database. */
async function checkpoint(dbFile: string): Promise<void> {
  try {
    const sqlite = await openSqlite(dbFile);
    try {
      sqlite.query("PRAGMA wal_checkpoint(TRUNCATE)");
    } finally {
      sqlite.close();
    }
  } catch {
    // A damaged current database is exactly when people restore; its -wal is kept beside it instead.
  }
}

/** Gives `from` a second name at `to` (a hard link; a copy where links are not allowed). */
function preserve(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}
