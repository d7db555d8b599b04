/** Is the camp well? Shared by /healthz (for the platform's checks) and `kith doctor` (for the operator). */
import { sql } from "kysely";
import type { Db } from "./db/open.ts";

/** A due job that nobody has picked up for this long means the delivery worker is stuck or not running. */
export const OVERDUE_AFTER_MS = 15 * 60 * 1000;
/** A job that has failed this many times is worth the operator's attention. */
export const FAILING_AFTER_ATTEMPTS = 3;

export interface QueueState {
  /** Jobs waiting to run. */
  queued: number;
  /** Jobs due for longer than OVERDUE_AFTER_MS and not being worked on. */
  overdue: number;
  /** Jobs that have failed at least FAILING_AFTER_ATTEMPTS times. */
  failing: number;
  /** The most recent error of a failing job, to show the operator. */
  lastError: string | null;
}

/** Counts queued, overdue and failing jobs in one query. */
export async function queueState(db: Db, at: number = Date.now()): Promise<QueueState> {
  const row = await db
    .selectFrom("jobs")
    .select([
      sql<number>`count(*)`.as("queued"),
      sql<number>`coalesce(sum(run_at < ${at - OVERDUE_AFTER_MS} and (locked_until is null or locked_until < ${at})), 0)`.as("overdue"),
      sql<number>`coalesce(sum(attempts >= ${FAILING_AFTER_ATTEMPTS}), 0)`.as("failing"),
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
  return { queued: Number(row.queued), overdue: Number(row.overdue), failing: Number(row.failing), lastError: failing?.last_error ?? null };
}

export interface Health {
  ok: boolean;
  problems: string[];
  queue: QueueState | null;
}

/** The database answers a trivial query and no job is overdue. */
export async function checkHealth(db: Db, at: number = Date.now()): Promise<Health> {
  try {
    await sql`select 1`.execute(db);
    const queue = await queueState(db, at);
    const problems = queue.overdue > 0 ? [`${queue.overdue} queued job(s) overdue by more than ${OVERDUE_AFTER_MS / 60000} minutes`] : [];
    return { ok: problems.length === 0, problems, queue };
  } catch (error) {
    return { ok: false, problems: [`database unreachable: ${(error as Error).message}`], queue: null };
  }
}
