/**
 * Is the camp well? Liveness (/healthz: the process can serve pages, so platforms keep it in
 * routing), readiness (/readyz: nothing needs the operator: no overdue queue, no failing off-site
 * backup, room on the disk), shared with `kith doctor` and the operator's status page.
 */
import { statfsSync } from "node:fs";
import { sql } from "kysely";
import type { Db } from "./db/open.ts";
import { PARKED } from "./jobs/worker.ts";
import { readBackupStatus } from "./domain/operations/backupStatus.ts";

/** A due job that nobody has picked up for this long means the delivery worker is stuck or not running. */
export const OVERDUE_AFTER_MS = 15 * 60 * 1000;
/** A job that has failed this many times is worth the operator's attention. */
export const FAILING_AFTER_ATTEMPTS = 3;
/** Below this much free space the database can no longer grow safely, nor a backup be written. */
export const MIN_FREE_BYTES = 1024 ** 3;
/** An off-site copy older than this means the daily off-site backup has stopped working. */
export const OFFSITE_STALE_MS = 2 * 24 * 60 * 60 * 1000;

export interface QueueState {
  /** Jobs waiting to run. */
  queued: number;
  /** Jobs due for longer than OVERDUE_AFTER_MS and not being worked on. */
  overdue: number;
  /** Jobs that have failed at least FAILING_AFTER_ATTEMPTS times. */
  failing: number;
  /** The most recent error of a failing job, to show the operator. */
  lastError: string | null;
  /** When the longest-waiting job (not parked for an unreachable server) was due, or null. */
  oldestDueAt: number | null;
}

/** Counts queued, overdue and failing jobs. */
export async function queueState(db: Db, at: number = Date.now()): Promise<QueueState> {
  const row = await db
    .selectFrom("jobs")
    .select([
      sql<number>`count(*)`.as("queued"),
      sql<number>`coalesce(sum(run_at < ${at - OVERDUE_AFTER_MS} and (locked_until is null or locked_until < ${at})), 0)`.as("overdue"),
      sql<number>`coalesce(sum(attempts >= ${FAILING_AFTER_ATTEMPTS}), 0)`.as("failing"),
      sql<number | null>`min(case when run_at < ${PARKED} then run_at end)`.as("oldest"),
    ])
    .executeTakeFirstOrThrow();
  const failing = await db
    .selectFrom("jobs")
    .select("last_error")
    .where("attempts", ">=", FAILING_AFTER_ATTEMPTS)
    .where("last_error", "is not", null)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return {
    queued: Number(row.queued), overdue: Number(row.overdue), failing: Number(row.failing), lastError: failing?.last_error ?? null,
    oldestDueAt: row.oldest === null ? null : Number(row.oldest),
  };
}

export interface Liveness {
  ok: boolean;
  problems: string[];
  queue: { queued: number; overdue: number } | null;
}

/** Liveness: the database answers, so pages can be served. A slow queue does not make the camp dead. */
export async function checkLiveness(db: Db, at: number = Date.now()): Promise<Liveness> {
  try {
    await sql`select 1`.execute(db);
    const queue = await queueState(db, at);
    return { ok: true, problems: [], queue: { queued: queue.queued, overdue: queue.overdue } };
  } catch (error) {
    return { ok: false, problems: [`database unreachable: ${(error as Error).message}`], queue: null };
  }
}

export interface ReadinessInput {
  dataDir: string;
  /** REMOTE:PATH when off-site backups are configured (KITH_OFFSITE). */
  offsite: string | null;
  at?: number;
  /** Free bytes on the data disk; measured when not given. */
  freeBytes?: number;
}

export interface Readiness {
  ok: boolean;
  problems: string[];
  queue: QueueState | null;
  disk: { freeBytes: number };
  offsite: { target: string; lastSuccessAt: number | null; lastError: string | null } | null;
}

/** Free bytes on the disk holding `dir`. */
export function freeBytesAt(dir: string): number {
  const fs = statfsSync(dir);
  return fs.bavail * fs.bsize;
}

/** Readiness: everything the operator should act on, each as one plain sentence. */
export async function checkReadiness(db: Db, input: ReadinessInput): Promise<Readiness> {
  const at = input.at ?? Date.now();
  const problems: string[] = [];
  let queue: QueueState | null = null;
  try {
    queue = await queueState(db, at);
    if (queue.overdue > 0) problems.push(`${queue.overdue} queued job(s) overdue by more than ${OVERDUE_AFTER_MS / 60000} minutes`);
  } catch (error) {
    problems.push(`database unreachable: ${(error as Error).message}`);
  }
  const freeBytes = input.freeBytes ?? freeBytesAt(input.dataDir);
  if (freeBytes < MIN_FREE_BYTES) problems.push(`the data disk is nearly full: ${(freeBytes / 1024 ** 2).toFixed(0)} MB free`);
  const offsite = offsiteProblem(input.dataDir, input.offsite, at);
  if (offsite.problem) problems.push(offsite.problem);
  return { ok: problems.length === 0, problems, queue, disk: { freeBytes }, offsite: offsite.state };
}

function offsiteProblem(dataDir: string, configured: string | null, at: number) {
  const recorded = readBackupStatus(dataDir).offsite;
  const target = configured ?? recorded?.target ?? null;
  if (target === null) return { problem: null, state: null };
  const mine = recorded?.target === target ? recorded : null;
  const state = { target, lastSuccessAt: mine?.lastSuccessAt ?? null, lastError: mine?.lastError ?? null };
  if (state.lastError) return { problem: `the last off-site backup to ${target} failed: ${state.lastError}`, state };
  if (state.lastSuccessAt === null) return { problem: `no off-site backup to ${target} has succeeded yet`, state };
  if (at - state.lastSuccessAt > OFFSITE_STALE_MS) {
    return { problem: `the newest off-site backup to ${target} is ${Math.floor((at - state.lastSuccessAt) / 3_600_000)} hours old`, state };
  }
  return { problem: null, state };
}
