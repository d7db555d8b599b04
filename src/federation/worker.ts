/** Starts the queue worker with federation's handlers: domain events one at a time in order, deliveries (and backfills) in parallel. */
import type { Deps } from "../web/env.ts";
import { EVENT_JOB } from "../jobs/events.ts";
import { startWorker, type Worker } from "../jobs/worker.ts";
import { BACKFILL_JOB, backfillHandler } from "./backfill.ts";
import { DELIVER_JOB, deliveryHandler } from "./outbound/deliver.ts";
import { eventHandler } from "./outbound/events.ts";
import { portabilityLanes } from "./portabilityLanes.ts";

/** Deliveries in flight at once: enough to fan out to hundreds of servers quickly, few enough to be polite. */
export const DELIVERY_CONCURRENCY = 24;

export function startFederationWorker(deps: Deps, options: { pollMs?: number } = {}): Promise<Worker> {
  return startWorker(deps.db, deps.log, [
    { concurrency: 1, handlers: { [EVENT_JOB]: eventHandler(deps) } },
    { concurrency: DELIVERY_CONCURRENCY, handlers: { [DELIVER_JOB]: deliveryHandler(deps), [BACKFILL_JOB]: backfillHandler(deps) } },
    ...portabilityLanes(deps),
  ], options);
}
