/**
 * One process at a time owns a data folder: the server while it serves, `kith restore` while it
 * replaces the database. The owner writes its process id to `kith.pid` in the folder; a pid file
 * whose process is gone (after a crash or SIGKILL) is stale and taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { Refusal } from "../domain/errors.ts";

export const PID_FILE = "kith.pid";

/** The id of another live process that owns the data folder, or null when none does. */
export function ownerOf(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, PID_FILE), "utf8").trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  return isAlive(pid) ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user (the server runs as `kith`).
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the data folder for this process (`what` names us in refusals); returns the release function. */
export function lockDataFolder(dataDir: string, what: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, PID_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    const owner = ownerOf(dataDir);
    if (owner !== null) {
      throw new Refusal(
        "conflict",
        `another Kith process (pid ${owner}) is using ${dataDir}, so ${what} cannot start. Stop it first ` +
          `(kill ${owner}, or systemctl stop kith on a server). If no Kith is running, delete ${file}.`,
      );
    }
    let fd: number;
    try {
      fd = openSync(file, "wx", 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // Stale or ours from an earlier run: remove it and try once more, still exclusively.
      if (ownerOf(dataDir) === null) rmSync(file, { force: true });
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return () => {
      if (readPid(file) === process.pid) rmSync(file, { force: true });
    };
  }
  throw new Refusal("conflict", `could not take ${file}: another process keeps creating it. Is a second Kith starting on ${dataDir}?`);
}

function readPid(file: string): number | null {
  try {
    return Number(readFileSync(file, "utf8").trim());
  } catch {
    return null;
  }
}
