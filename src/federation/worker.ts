/** Starts the queue worker with federation's handlers: domain events one at a time in order, deliveries (and backfills) in parallel. */
import type { Deps } from "../web/env.ts";
import { EVENT_JOB } from "../jobs/events.ts";
import { startWorker, type Worker } from "../jobs/worker.ts";
import { BACKFILL_JOB, backfillHandler } from "./backfill.ts";
import { DELIVER_JOB, deliveryHandler } from "./outbound/deliver.ts";
import { eventHandler } from "./outbound/events.ts";
import { FORGET_KEYS_JOB, forgetKeysHandler } from "./outbound/accountDeleted.ts";
import { EXPORT_JOB } from "../domain/export/requests.ts";
import { exportHandler } from "../domain/export/build.ts";
import { archiveLinks } from "./archiveLinks.ts";

/** Deliveries in flight at once: enough to fan out to hundreds of servers quickly, few enough to be polite. */
export const DELIVERY_CONCURRENCY = 24;

export function startFederationWorker(deps: Deps, options: { pollMs?: number } = {}): Promise<Worker> {
  return startWorker(deps.db, deps.log, [
    { concurrency: 1, handlers: { [EVENT_JOB]: eventHandler(deps) } },
    { concurrency: 1, handlers: { [FORGET_KEYS_JOB]: forgetKeysHandler(deps) } },
    // Archives are built one at a time: each reads a member's whole history and writes a big file.
    { concurrency: 1, handlers: { [EXPORT_JOB]: exportHandler({ ...deps, ...deps.config }, archiveLinks(deps)) } },
    { concurrency: DELIVERY_CONCURRENCY, handlers: { [DELIVER_JOB]: deliveryHandler(deps), [BACKFILL_JOB]: backfillHandler(deps) } },
  ], options);
}
