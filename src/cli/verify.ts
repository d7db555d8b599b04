/**
 * `kith backup --verify DIR/|REMOTE:PATH`: the restore drill. Unpacks the newest backup there
 * into a temporary folder (fetching and decrypting an off-site copy first), runs integrity_check,
 * checks every uploaded file the backup's database names is in the archive, compares row counts
 * and a sample of media hashes with the live camp, and reports. The live camp is only read.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { OFFSITE_TARGET, type Config } from "../config.ts";
import { openSqlite } from "../db/driver.ts";
import { Refusal } from "../domain/errors.ts";
import { recordBackupStatus } from "../domain/operations/backupStatus.ts";
import { ARCHIVE_DB, ARCHIVE_MEDIA } from "./backup.ts";
import { backupPassphrase, fetchOffsite, listOffsite } from "./offsite.ts";
import { checkKithDatabase, unpack } from "./restore.ts";

/** The tables whose row counts the drill compares. */
const COUNTED = ["accounts", "members", "posts", "media", "follows", "likes", "reports"] as const;
/** How many media files are hashed on both sides. */
const MEDIA_SAMPLE = 20;

type Counts = Record<(typeof COUNTED)[number], number>;

/** Runs the drill on the newest backup at `source`; 0 when it passed, 1 when it found a problem. */
export async function verifyBackup(config: Config, source: string): Promise<number> {
  const work = join(config.dataDir, `.verify-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, "unpacked"), { recursive: true });
  try {
    const archive = await newestBackup(config, source, work);
    console.log(`Restore drill on ${archive.shownAs}`);
    const problems: string[] = [];
    const mediaCount = unpack(archive.file, join(work, "unpacked"));
    const restoredDb = join(work, "unpacked", ARCHIVE_DB);
    await checkKithDatabase(restoredDb, archive.shownAs).catch((error: Error) => problems.push(error.message.replace(" Nothing was changed.", "")));
    if (problems.length === 0) {
      console.log("ok      integrity_check of the restored database");
      const [backupCounts, liveCounts] = [await countRows(restoredDb), await countRows(config.dbFile)];
      for (const table of COUNTED) console.log(`ok      ${table}: ${backupCounts[table]} in the backup, ${liveCounts[table]} live`);
      const missing = await mediaMissingFrom(restoredDb, join(work, "unpacked", ARCHIVE_MEDIA));
      if (missing.length) problems.push(`${missing.length} uploaded file(s) the backup's database names are not in it (${missing.slice(0, 3).join(", ")})`);
      else console.log(`ok      all ${mediaCount} media file(s) the database names are in the backup`);
      const sample = compareMedia(join(work, "unpacked", ARCHIVE_MEDIA), config.mediaDir);
      if (sample.differ.length) problems.push(`${sample.differ.length} media file(s) differ from the live camp's (${sample.differ.slice(0, 3).join(", ")})`);
      else console.log(`ok      ${sample.same} sampled media file(s) match the live camp byte for byte${sample.goneLive ? ` (${sample.goneLive} no longer live)` : ""}`);
    }
    for (const problem of problems) console.log(`PROBLEM ${problem}`);
    const summary = problems.length ? problems.join("; ") : `${archive.shownAs}: integrity ok, row counts listed, media intact`;
    recordBackupStatus(config.dataDir, { verify: { at: Date.now(), ok: problems.length === 0, summary } });
    console.log(problems.length ? `\nThe restore drill found ${problems.length} problem(s).` : "\nThe restore drill passed: this backup restores.");
    return problems.length ? 1 : 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The newest backup at a local folder or an rclone REMOTE:PATH, as a local file. */
async function newestBackup(config: Config, source: string, work: string): Promise<{ file: string; shownAs: string }> {
  const folder = resolve(source);
  if (existsSync(folder) && statSync(folder).isDirectory()) {
    const newest = readdirSync(folder).filter((n) => /^kith-\d{8}-\d{6}\.tar$/.test(n)).sort().at(-1);
    if (!newest) throw new Refusal("not_found", `there are no backups (kith-DATE.tar) in ${folder} to check.`);
    return { file: join(folder, newest), shownAs: join(folder, newest) };
  }
  if (!OFFSITE_TARGET.test(source)) throw new Refusal("not_found", `${source} is neither a folder of backups nor an rclone REMOTE:PATH.`);
  const target = source.replace(/\/+$/, "");
  const newest = (await listOffsite(target)).complete.at(-1);
  if (!newest) throw new Refusal("not_found", `there are no complete Kith backups at ${target} to check.`);
  return { file: await fetchOffsite(target, newest, backupPassphrase(config), work), shownAs: `${target}/${newest}` };
}

async function countRows(dbFile: string): Promise<Counts> {
  const sqlite = await openSqlite(dbFile);
  try {
    const counts = {} as Counts;
    for (const table of COUNTED) counts[table] = Number((sqlite.query(`SELECT count(*) AS n FROM ${table}`)[0] as { n: number }).n);
    return counts;
  } finally {
    sqlite.close();
  }
}

/** Storage keys of uploaded files the database names that are not in `mediaDir`. */
async function mediaMissingFrom(dbFile: string, mediaDir: string): Promise<string[]> {
  const sqlite = await openSqlite(dbFile);
  try {
    const keys = (sqlite.query("SELECT storage_key FROM media WHERE storage_key IS NOT NULL") as { storage_key: string }[]).map((r) => r.storage_key);
    return keys.filter((key) => !existsSync(join(mediaDir, key)));
  } finally {
    sqlite.close();
  }
}

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** Hashes up to MEDIA_SAMPLE files of the backup, spread over all of them, against the live copies. */
function compareMedia(backupMedia: string, liveMedia: string): { same: number; differ: string[]; goneLive: number } {
  const files = existsSync(backupMedia) ? (readdirSync(backupMedia, { recursive: true }) as string[]).filter((n) => statSync(join(backupMedia, n)).isFile()).sort() : [];
  const step = Math.max(1, Math.ceil(files.length / MEDIA_SAMPLE));
  const result = { same: 0, differ: [] as string[], goneLive: 0 };
  for (let i = 0; i < files.length; i += step) {
    const live = join(liveMedia, files[i]!);
    if (!existsSync(live)) result.goneLive++;
    else if (sha256(live) === sha256(join(backupMedia, files[i]!))) result.same++;
    else result.differ.push(files[i]!);
  }
  return result;
}
