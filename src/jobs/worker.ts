/**
 * Runs the durable queue. A job is claimed by setting locked_until (a lease), run, and deleted
 * when done; a failure is retried with exponential backoff over about two days, then handed to
 * the handler's giveUp (which may park it: run_at = PARKED, until something wakes it). On start
 * every lease is released, so work interrupted by a crash runs again. Lanes bound concurrency
 * per kind of work: events run one at a time in order, deliveries many at once.
 */
import { sql } from "kysely";
import type { Db } from "../db/open.ts";
import type { Logger } from "../log.ts";
import { collectEvery } from "./collectGarbage.ts";

/** run_at of a parked job: never due until something sets run_at again. */
export const PARKED = Number.MAX_SAFE_INTEGER;
/** A full collection after this many finished jobs (see collectGarbage.ts). */
const JOBS_PER_COLLECTION = 100;

/** Delays before each retry; they add up to about two days. */
export const BACKOFF_MS = [30e3, 2 * 60e3, 10 * 60e3, 30 * 60e3, 3600e3, 2 * 3600e3, 4 * 3600e3, 6 * 3600e3, 8 * 3600e3, 10 * 3600e3, 12 * 3600e3];

/** Thrown by a handler for a failure that retrying cannot fix: the job is dropped. */
export class PermanentFailure extends Error {}
/** Thrown by a handler to park its job without counting an attempt. */
export class ParkJob extends Error {}

export interface JobHandler {
  run(payload: unknown): Promise<void>;
  /** Jobs with the same key never run at the same time, and run in the order they were queued. */
  orderKey?(payload: unknown): string;
  /** After the last retry: return true to park the job rather than drop it. */
  giveUp?(payload: unknown): Promise<boolean>;
}

export interface Lane {
  concurrency: number;
  handlers: Record<string, JobHandler>;
}

export interface Worker {
  /** Resolves once nothing is due and nothing is running (for tests and benchmarks). */
  idle(): Promise<void>;
  /** Looks for due work now instead of at the next poll. */
  nudge(): void;
  /** Stops claiming and waits for running jobs to finish. */
  stop(): Promise<void>;
}

const LEASE_MS = 5 * 60 * 1000;

interface ClaimedJob {
  id: number;
  kind: string;
  payload: string;
  attempts: number;
}

export async function startWorker(db: Db, log: Logger, lanes: Lane[], options: { pollMs?: number } = {}): Promise<Worker> {
  await db.updateTable("jobs").set({ locked_until: null }).where("locked_until", "is not", null).execute();
  let stopped = false;
  const running = new Set<Promise<void>>();
  const idleWaiters: (() => void)[] = [];
  const active = lanes.map((lane) => ({ ...lane, kinds: Object.keys(lane.handlers), inFlight: 0 }));
  let ticking: Promise<void> | null = null;

  const busyKeys = new Set<string>();

  const jobFinished = collectEvery(JOBS_PER_COLLECTION);
  const finish = async (job: ClaimedJob, handler: JobHandler, payload: unknown) => {
    try {
      await handler.run(payload);
      await db.deleteFrom("jobs").where("id", "=", job.id).execute();
    } catch (error) {
      await settleFailure(db, log, job, handler, payload, error);
    } finally {
      jobFinished();
    }
  };

  const tick = async () => {
    for (const lane of active) {
      const room = lane.concurrency - lane.inFlight;
      if (stopped || room <= 0) continue;
      const claimed = await claim(db, lane.kinds, room);
      const deferred: number[] = [];
      for (const job of claimed) {
        const handler = lane.handlers[job.kind]!;
        const payload = JSON.parse(job.payload) as unknown;
        const key = handler.orderKey?.(payload);
        // An earlier job with the same key is running: this one waits its turn.
        if (key !== undefined && busyKeys.has(key)) {
          deferred.push(job.id);
          continue;
        }
        if (key !== undefined) busyKeys.add(key);
        lane.inFlight++;
        const task = finish(job, handler, payload).finally(() => {
          if (key !== undefined) busyKeys.delete(key);
          lane.inFlight--;
          running.delete(task);
          nudge();
        });
        running.add(task);
      }
      if (deferred.length) await db.updateTable("jobs").set({ locked_until: null }).where("id", "in", deferred).execute();
    }
    if (running.size === 0 && !(await anythingDue(db, active.flatMap((l) => l.kinds)))) idleWaiters.splice(0).forEach((resolve) => resolve());
  };

  const nudge = () => {
    if (stopped) return;
    if (ticking) {
      // The next tick waits for the event loop's turn: jobs whose queries finish without I/O would
      // otherwise chain ticks as microtasks forever, starving timers, signals and deliveries' sockets.
      ticking.then(() => setImmediate(nudge));
      return;
    }
    ticking = tick().catch((error) => log.error("jobs: tick failed", { error: String(error) })).finally(() => (ticking = null));
  };
  const timer = setInterval(nudge, options.pollMs ?? 250);
  nudge();

  return {
    idle: () => new Promise<void>((resolve) => {
      idleWaiters.push(resolve);
      nudge();
    }),
    nudge,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await ticking;
      await Promise.allSettled([...running]);
      idleWaiters.splice(0).forEach((resolve) => resolve());
    },
  };
}

async function claim(db: Db, kinds: string[], limit: number): Promise<ClaimedJob[]> {
  const at = Date.now();
  return db.updateTable("jobs")
    .set({ locked_until: at + LEASE_MS })
    .where("id", "in", (eb) => eb.selectFrom("jobs").select("id")
      .where("kind", "in", kinds).where("run_at", "<=", at)
      .where((w) => w.or([w("locked_until", "is", null), w("locked_until", "<", at)]))
      .orderBy("run_at").orderBy("id").limit(limit))
    .returning(["id", "kind", "payload", "attempts"])
    .execute()
    .then((rows) => rows.sort((a, b) => a.id - b.id));
}

async function anythingDue(db: Db, kinds: string[]): Promise<boolean> {
  const at = Date.now();
  const row = await db.selectFrom("jobs").select(sql<number>`1`.as("one")).where("kind", "in", kinds).where("run_at", "<=", at)
    .where((w) => w.or([w("locked_until", "is", null), w("locked_until", "<", at)])).limit(1).executeTakeFirst();
  return row !== undefined;
}

async function settleFailure(db: Db, log: Logger, job: ClaimedJob, handler: JobHandler, payload: unknown, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ParkJob) {
    await db.updateTable("jobs").set({ run_at: PARKED, locked_until: null, last_error: message }).where("id", "=", job.id).execute();
    log.info("jobs: parked", { jobId: job.id, kind: job.kind, reason: message });
    return;
  }
  const attempts = job.attempts + 1;
  const delay = BACKOFF_MS[attempts - 1];
  if (error instanceof PermanentFailure || delay === undefined) {
    const park = !(error instanceof PermanentFailure) && (await handler.giveUp?.(payload)) === true;
    if (park) await db.updateTable("jobs").set({ run_at: PARKED, attempts, locked_until: null, last_error: message }).where("id", "=", job.id).execute();
    else await db.deleteFrom("jobs").where("id", "=", job.id).execute();
    log.warn(park ? "jobs: parked after retries" : "jobs: dropped", { jobId: job.id, kind: job.kind, attempts, reason: message });
    return;
  }
  await db.updateTable("jobs").set({ attempts, run_at: Date.now() + delay, locked_until: null, last_error: message.slice(0, 1000) }).where("id", "=", job.id).execute();
  log.info("jobs: retry later", { jobId: job.id, kind: job.kind, attempts, inMs: delay, reason: message });
}
