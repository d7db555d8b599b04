/**
 * What the last backups did, kept in DATA/backup-status.json: `kith backup` writes it (a local
 * backup, an off-site copy, a restore drill), and the server reads it for /readyz and the
 * operator's status page without asking the remote on every probe.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const STATUS_FILE = "backup-status.json";

export interface OffsiteStatus {
  /** REMOTE:PATH the copies go to. */
  target: string;
  lastAttemptAt: number;
  lastSuccessAt: number | null;
  /** The name of the newest complete copy, e.g. kith-20261203-020000.tar. */
  lastSuccessName: string | null;
  /** Why the last attempt failed; null when it succeeded. */
  lastError: string | null;
}

export interface BackupStatus {
  local: { at: number; file: string } | null;
  offsite: OffsiteStatus | null;
  verify: { at: number; ok: boolean; summary: string } | null;
}

const EMPTY: BackupStatus = { local: null, offsite: null, verify: null };

/** The recorded status (empty when no backup has run, or the file is unreadable). */
export function readBackupStatus(dataDir: string): BackupStatus {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, STATUS_FILE), "utf8")) as Partial<BackupStatus>;
    return { ...EMPTY, ...parsed };
  } catch {
    return { ...EMPTY };
  }
}

/** Merges `change` into the recorded status (written whole under a temporary name, then renamed). */
export function recordBackupStatus(dataDir: string, change: Partial<BackupStatus>): void {
  const file = join(dataDir, STATUS_FILE);
  const next = { ...readBackupStatus(dataDir), ...change };
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(next, null, 2) + "\n", { mode: 0o640 });
  renameSync(partial, file);
}

/** The outcome of an off-site attempt, merged with what is known of earlier successes. */
export function offsiteAttempt(dataDir: string, target: string, at: number, outcome: { name: string } | { error: string }): OffsiteStatus {
  const before = readBackupStatus(dataDir).offsite;
  const earlier = before?.target === target ? before : null;
  return "name" in outcome
    ? { target, lastAttemptAt: at, lastSuccessAt: at, lastSuccessName: outcome.name, lastError: null }
    : { target, lastAttemptAt: at, lastSuccessAt: earlier?.lastSuccessAt ?? null, lastSuccessName: earlier?.lastSuccessName ?? null, lastError: outcome.error };
}
