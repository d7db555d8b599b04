/**
 * Asking for an archive and fetching it: one export at a time per member, built by a queued job,
 * downloadable for seven days. A new request replaces the member's earlier archive.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Db } from "../../db/open.ts";
import { DAY, now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { enqueue } from "../../jobs/queue.ts";

export const EXPORT_JOB = "export";
export const EXPORT_DAYS = 7;

/** Where archives are kept: beside the database, outside the media folder and the backups. */
export const exportsDirOf = (dataDir: string) => join(dataDir, "exports");

export interface ExportJob {
  exportId: number;
}

/** Queues a new archive for the member; refused while one is being made. */
export async function requestExport(db: Db, dataDir: string, accountId: number): Promise<number> {
  const earlier = await db.transaction().execute(async (trx) => {
    const running = await trx.selectFrom("exports").select("id").where("account_id", "=", accountId).where("state", "in", ["queued", "running"]).executeTakeFirst();
    if (running) return refuse("conflict", "Your archive is being made already. This page shows its progress; ask again once it is done.");
    const old = await trx.deleteFrom("exports").where("account_id", "=", accountId).returning("file_name").execute();
    const row = await trx.insertInto("exports").values({ account_id: accountId, created_at: now() }).returning("id").executeTakeFirstOrThrow();
    const job: ExportJob = { exportId: row.id };
    await enqueue(trx, EXPORT_JOB, job);
    return old;
  });
  await removeFiles(dataDir, earlier.flatMap((e) => (e.file_name ? [e.file_name] : [])));
  await sweepExpired(db, dataDir);
  return (await latestExport(db, accountId))!.id;
}

/** The member's most recent export, if any. */
export function latestExport(db: Db, accountId: number) {
  return db.selectFrom("exports").selectAll().where("account_id", "=", accountId).orderBy("id", "desc").limit(1).executeTakeFirst();
}

/** The archive file to send, if it is the member's, finished and not expired. */
export async function downloadableExport(db: Db, dataDir: string, accountId: number, exportId: number): Promise<{ path: string; bytes: number; createdAt: number }> {
  const row = await db.selectFrom("exports").selectAll().where("id", "=", exportId).where("account_id", "=", accountId).executeTakeFirst();
  if (!row || row.state !== "done" || !row.file_name) return refuse("not_found", "There is no such archive. Ask for a new one on the export page.");
  if (row.expires_at !== null && row.expires_at <= now()) {
    await db.deleteFrom("exports").where("id", "=", row.id).execute();
    await removeFiles(dataDir, [row.file_name]);
    return refuse("gone", `Archives can be downloaded for ${EXPORT_DAYS} days; this one has expired. Ask for a new one on the export page.`);
  }
  return { path: join(exportsDirOf(dataDir), row.file_name), bytes: row.bytes, createdAt: row.created_at };
}

/** Removes every member's expired archives, so files of people who never came back do not pile up. */
export async function sweepExpired(db: Db, dataDir: string): Promise<void> {
  const expired = await db.deleteFrom("exports").where("expires_at", "<=", now()).returning("file_name").execute();
  await removeFiles(dataDir, expired.flatMap((e) => (e.file_name ? [e.file_name] : [])));
}

/** When a finished archive stops being downloadable. */
export const expiryFrom = (finishedAt: number) => finishedAt + EXPORT_DAYS * DAY;

/** Removes archive files (after their rows are gone). */
export async function removeFiles(dataDir: string, fileNames: string[]): Promise<void> {
  await Promise.all(fileNames.map((name) => rm(join(exportsDirOf(dataDir), name), { force: true })));
}
