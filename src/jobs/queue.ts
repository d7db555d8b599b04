/**
 * The durable job queue lives in the `jobs` table of the camp's SQLite file, so queued work
 * survives a crash or restart. Enqueueing inside the caller's transaction means the work exists
 * exactly when the change that caused it does.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";

export interface EnqueueOptions {
  /** Enqueueing twice with the same key is a no-op: the first job stands. */
  dedupeKey?: string;
  /** Not before this time (ms since the epoch); default now. */
  runAt?: number;
}

export async function enqueue(db: Kysely<Database>, kind: string, payload: unknown, options: EnqueueOptions = {}): Promise<void> {
  const at = Date.now();
  await db
    .insertInto("jobs")
    .values({
      kind,
      payload: JSON.stringify(payload),
      dedupe_key: options.dedupeKey ?? null,
      run_at: options.runAt ?? at,
      created_at: at,
    })
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .execute();
}
