/**
 * `kith backup FILE`: a consistent copy of the camp while it keeps serving. The database is copied
 * with `VACUUM INTO` (one read transaction, so writers are never blocked and the copy is a single
 * moment), then the uploaded media are added; both go into one tar file written under a temporary
 * name and renamed into place, so FILE either is a whole backup or does not exist.
 *
 * `kith backup --keep N DIR/` writes DIR/kith-YYYYMMDD-HHMMSS.tar and keeps the newest N of them
 * (for the daily timer). `--to REMOTE:PATH` also copies it off-site (offsite.ts); `--verify` runs
 * the restore drill (verify.ts).
 */
import { existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Config } from "../config.ts";
import { openSqlite } from "../db/driver.ts";
import { Refusal } from "../domain/errors.ts";
import { OFFSITE_TARGET } from "../config.ts";
import { offsiteAttempt, recordBackupStatus } from "../domain/operations/backupStatus.ts";
import { UsageError, type ParsedArgs } from "./args.ts";
import { backupPassphrase, pushOffsite } from "./offsite.ts";
import { verifyBackup } from "./verify.ts";
import { writeTar, type TarEntry } from "../archive/tar.ts";

/** The names inside a backup archive. */
export const ARCHIVE_DB = "kith.sqlite";
export const ARCHIVE_MEDIA = "media";
const TIMED_NAME = /^kith-\d{8}-\d{6}\.tar$/;

/** The `backup` command. */
export async function backup(config: Config, args: ParsedArgs): Promise<number> {
  const keep = parseKeep(args.options.keep);
  if (args.options.verify !== undefined) {
    if (args.positional.length || args.options.to || keep !== null) throw new UsageError("--verify takes only the place the backups are (DIR/ or REMOTE:PATH).");
    return verifyBackup(config, args.options.verify);
  }
  const to = args.options.to === undefined ? null : parseTarget(args.options.to);
  const given = args.positional[0];
  if (given === undefined && to === null) throw new UsageError(`"backup" needs FILE, DIR/ or --to REMOTE:PATH. Run kith --help.`);
  if (!existsSync(config.dbFile)) throw new UsageError(`there is no camp database at ${config.dbFile}. Is --data (KITH_DATA) right?`);
  const passphrase = to === null ? null : backupPassphrase(config);

  const at = new Date();
  const local = given === undefined ? null : localTarget(given, at, keep !== null && to === null);
  const file = local?.file ?? join(config.dataDir, `.offsite-${process.pid}.tar`);
  if (existsSync(file)) throw new UsageError(`${file} already exists; choose a new file name so nothing is overwritten.`);
  try {
    const media = await writeBackup(config, file);
    if (local) {
      console.log(`Backup written to ${file} (the database and ${media} media file${media === 1 ? "" : "s"}).`);
      recordBackupStatus(config.dataDir, { local: { at: at.getTime(), file } });
      if (local.folder && keep !== null) for (const old of pruneBackups(local.folder, keep)) console.log(`Removed old backup ${old}.`);
    }
    if (to !== null) await copyOffsite(config, to, passphrase!, file, TIMED_NAME.test(basename(file)) ? basename(file) : `kith-${stamp(at)}.tar`, keep);
  } finally {
    if (!local) rmSync(file, { force: true });
  }
  return 0;
}

/** Where a local backup goes: FILE, or a dated file in DIR/ (which `--keep` needs). */
function localTarget(given: string, at: Date, keepsHere: boolean): { file: string; folder: string | null } {
  const target = resolve(given);
  const intoFolder = given.endsWith("/") || (existsSync(target) && statSync(target).isDirectory());
  if (!intoFolder && keepsHere) throw new UsageError("--keep only works with a folder (end the name with /), where dated backups are kept.");
  if (!intoFolder) return { file: target, folder: null };
  mkdirSync(target, { recursive: true });
  return { file: join(target, `kith-${stamp(at)}.tar`), folder: target };
}

function parseTarget(value: string): string {
  if (!OFFSITE_TARGET.test(value)) throw new UsageError(`--to needs an rclone remote and path, like b2:my-bucket/kith, not "${value}".`);
  return value.replace(/\/+$/, "");
}

/** Pushes the archive off-site and records how it went, for /readyz, the status page and doctor. */
async function copyOffsite(config: Config, to: string, passphrase: string, file: string, name: string, keep: number | null): Promise<void> {
  const at = Date.now();
  try {
    const pruned = await pushOffsite(to, passphrase, file, name, keep);
    recordBackupStatus(config.dataDir, { offsite: offsiteAttempt(config.dataDir, to, at, { name }) });
    console.log(`Encrypted copy uploaded to ${to}/${name}.`);
    for (const old of pruned) console.log(`Removed old off-site backup ${to}/${old}.`);
  } catch (error) {
    recordBackupStatus(config.dataDir, { offsite: offsiteAttempt(config.dataDir, to, at, { error: (error as Error).message }) });
    throw error;
  }
}

function parseKeep(value: string | undefined): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--keep must be a whole number of backups, 1 or more, not "${value}".`);
  return Number(value);
}

/** YYYYMMDD-HHMMSS in UTC: sorts by time as text. */
export function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

/** Writes the archive for `config`'s data folder to `file`; returns how many media files it holds. */
export async function writeBackup(config: Config, file: string): Promise<number> {
  const partial = join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  const snapshot = `${partial}.sqlite`;
  try {
    await snapshotDatabase(config.dbFile, snapshot);
    const media = mediaEntries(config.mediaDir);
    const db: TarEntry = { name: ARCHIVE_DB, source: snapshot, size: statSync(snapshot).size };
    await writeTar(partial, [db, ...media]);
    putInPlace(partial, file);
    return media.length;
  } catch (error) {
    throw explainWriteFailure(error, file);
  } finally {
    rmSync(partial, { force: true });
    rmSync(snapshot, { force: true });
  }
}

async function snapshotDatabase(dbFile: string, snapshot: string): Promise<void> {
  const sqlite = await openSqlite(dbFile);
  try {
    sqlite.exec("PRAGMA busy_timeout = 5000");
    sqlite.exec(`VACUUM INTO '${snapshot.replaceAll("'", "''")}'`);
  } finally {
    sqlite.close();
  }
}

/**
 * Gives the finished archive its name. A hard link, unlike a rename, never replaces a file that
 * appeared under that name meanwhile; where links are not allowed (FAT or exFAT drives), rename.
 */
function putInPlace(partial: string, file: string): void {
  try {
    linkSync(partial, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST" || existsSync(file)) throw error;
    renameSync(partial, file);
  }
}

/** Every regular file under the media folder, as archive entries (none when there is no folder yet). */
function mediaEntries(mediaDir: string): TarEntry[] {
  if (!existsSync(mediaDir)) return [];
  const entries: TarEntry[] = [];
  for (const name of readdirSync(mediaDir, { recursive: true }) as string[]) {
    const source = join(mediaDir, name);
    const stat = statSync(source, { throwIfNoEntry: false });
    if (stat?.isFile()) entries.push({ name: `${ARCHIVE_MEDIA}/${name.split("\\").join("/")}`, source, size: stat.size });
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}

/** Deletes the oldest dated backups in `folder` beyond the newest `keep`; returns what it deleted. */
export function pruneBackups(folder: string, keep: number): string[] {
  const dated = readdirSync(folder).filter((name) => TIMED_NAME.test(name)).sort();
  const old = dated.slice(0, Math.max(0, dated.length - keep)).map((name) => join(folder, name));
  for (const path of old) rmSync(path, { force: true });
  return old;
}

/** A full disk or a failing write becomes a message the operator can act on. */
function explainWriteFailure(error: unknown, file: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const message = String((error as Error).message ?? error);
  if (code === "ENOSPC" || code === "EDQUOT" || /disk is full|SQLITE_FULL/i.test(message)) {
    return new Refusal("too_large", `the backup did not fit: the disk holding ${dirname(file)} is full. Nothing was written; free some space or back up to another disk.`);
  }
  if (code === "EEXIST") return new UsageError(`${file} appeared while the backup was being written; nothing was overwritten. Try again.`);
  if (code === "EACCES" || code === "EPERM" || code === "EROFS" || code === "EIO" || /unable to open|readonly|I\/O error/i.test(message)) {
    return new Refusal("forbidden", `the backup could not be written to ${file} (${code ?? message}). Nothing was left behind; check that the folder exists and is writable.`);
  }
  return error;
}
