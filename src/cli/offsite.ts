/**
 * Off-site copies of the backup through rclone, encrypted with the operator's passphrase (rclone's
 * crypt format). A copy is uploaded under a temporary name (kith-DATE.tar.partial) and moved to
 * its final name only once rclone has uploaded and checked all of it, so a dropped connection or
 * a killed upload never leaves anything that lists as a complete backup.
 */
import { readFileSync } from "node:fs";
import type { Config } from "../config.ts";
import { Refusal } from "../domain/errors.ts";
import { CRYPT_REMOTE, cryptEnv, explainRcloneFailure, runRclone } from "./rclone.ts";

/** rclone's crypt format adds .bin to every file name it encrypts (names themselves stay readable). */
const ENCRYPTED = ".bin";
const COMPLETE = /^kith-\d{8}-\d{6}\.tar\.bin$/;
const PARTIAL = /^kith-\d{8}-\d{6}\.tar\.partial\.bin$/;
/** A name `kith restore` takes from the remote: REMOTE:PATH/kith-DATE.tar (with or without .bin). */
const REMOTE_BACKUP = /^([A-Za-z0-9_][A-Za-z0-9_. -]*:(?:.*\/)?)(kith-\d{8}-\d{6}\.tar)(?:\.bin)?$/;

/** The passphrase that encrypts off-site copies, or a refusal saying how to give one. */
export function backupPassphrase(config: Config): string {
  const source = config.backupPassphrase;
  if (!source) {
    throw new Refusal("invalid", "off-site backups are encrypted, and no passphrase is set. Put one in a file readable only by Kith's user and set " +
      "KITH_BACKUP_PASSPHRASE_FILE to it (install.sh --offsite does this), or set KITH_BACKUP_PASSPHRASE.");
  }
  if ("value" in source) return source.value;
  let text: string;
  try {
    text = readFileSync(source.file, "utf8");
  } catch (error) {
    throw new Refusal("invalid", `the backup passphrase file ${source.file} cannot be read (${(error as NodeJS.ErrnoException).code}). Check KITH_BACKUP_PASSPHRASE_FILE and its permissions.`);
  }
  const passphrase = text.split("\n")[0]!.trim();
  if (passphrase.length < 12) throw new Refusal("invalid", `the backup passphrase in ${source.file} is shorter than 12 characters; use a longer one.`);
  return passphrase;
}

/** The complete and the unfinished copies at `target`, oldest first (an empty list when the folder does not exist yet). */
export async function listOffsite(target: string): Promise<{ complete: string[]; partial: string[] }> {
  const run = await runRclone(["lsf", "--files-only", target]);
  if (run.code === 3 && /directory not found/i.test(run.stderr)) return { complete: [], partial: [] };
  if (run.code !== 0) throw explainRcloneFailure(run, target, "Listing the backups at");
  const names = run.stdout.split("\n").map((n) => n.trim()).filter(Boolean).sort();
  return {
    complete: names.filter((n) => COMPLETE.test(n)).map((n) => n.slice(0, -ENCRYPTED.length)),
    partial: names.filter((n) => PARTIAL.test(n)),
  };
}

/**
 * Uploads `localTar` to `target` as `name` (kith-DATE.tar), encrypted; then deletes unfinished
 * uploads left by earlier runs and, with `keep`, the oldest complete copies beyond the newest `keep`.
 * Returns the names it deleted.
 */
export async function pushOffsite(target: string, passphrase: string, localTar: string, name: string, keep: number | null): Promise<string[]> {
  const env = await cryptEnv(target, passphrase);
  const partial = `${CRYPT_REMOTE}:${name}.partial`;
  const upload = await runRclone(["copyto", localTar, partial], env);
  if (upload.code !== 0) {
    await runRclone(["deletefile", partial], env);
    throw explainRcloneFailure(upload, target, "Uploading the backup to");
  }
  const finish = await runRclone(["moveto", partial, `${CRYPT_REMOTE}:${name}`], env);
  if (finish.code !== 0) throw explainRcloneFailure(finish, target, "Finishing the upload to");
  const { complete, partial: leftovers } = await listOffsite(target);
  const old = keep === null ? [] : complete.slice(0, Math.max(0, complete.length - keep));
  for (const file of [...old.map((n) => n + ENCRYPTED), ...leftovers]) {
    const removed = await runRclone(["deletefile", `${join(target, file)}`]);
    if (removed.code !== 0) throw explainRcloneFailure(removed, target, `Removing the old backup ${file} from`);
  }
  return old;
}

/** REMOTE:PATH/kith-DATE.tar split into the folder (REMOTE:PATH) and the name, or null when `arg` is not one. */
export function parseRemoteBackup(arg: string): { target: string; name: string } | null {
  const match = arg.match(REMOTE_BACKUP);
  return match ? { target: match[1]!.replace(/\/$/, ""), name: match[2]! } : null;
}

/**
 * Downloads the encrypted copy `name` from `target` into `folder`, then decrypts it there (two
 * steps, so a network failure and a wrong passphrase are told apart). Returns the decrypted tar.
 */
export async function fetchOffsite(target: string, name: string, passphrase: string, folder: string): Promise<string> {
  const encrypted = `${folder}/${name}${ENCRYPTED}`;
  const download = await runRclone(["copyto", join(target, name + ENCRYPTED), encrypted]);
  if (download.code !== 0) {
    if (download.code === 3 || download.code === 4 || /not found/i.test(download.stderr)) {
      const { complete } = await listOffsite(target).catch(() => ({ complete: [] as string[] }));
      throw new Refusal("not_found", `there is no backup ${name} at ${target}. ${complete.length ? `The backups there: ${complete.join(", ")}.` : "There are no Kith backups there."}`);
    }
    throw explainRcloneFailure(download, target, "Downloading the backup from");
  }
  const decrypted = `${folder}/${name}`;
  const decrypt = await runRclone(["copyto", "--retries", "1", "--low-level-retries", "1", `${CRYPT_REMOTE}:${name}`, decrypted], await cryptEnv(folder, passphrase));
  if (decrypt.code !== 0) {
    throw new Refusal("invalid", `${target}/${name} could not be decrypted: the passphrase is wrong (or the copy is damaged). Nothing was changed.`);
  }
  return decrypted;
}

/** REMOTE:PATH joined with a file name (no doubled slash after a bare "remote:"). */
function join(target: string, file: string): string {
  return target.endsWith(":") ? `${target}${file}` : `${target}/${file}`;
}
