/** Starts the queue worker with federation's handlers: domain events one at a time in order, deliveries (and backfills) in parallel. */
import type { Deps } from "../web/env.ts";
import { EVENT_JOB, eventDispatcher } from "../jobs/events.ts";
import { startWorker, type Worker } from "../jobs/worker.ts";
import { BACKFILL_JOB, backfillHandler } from "./backfill.ts";
import { DELIVER_JOB, deliveryHandler } from "./outbound/deliver.ts";
import { eventHandler } from "./outbound/events.ts";
import { feedLane } from "../domain/feeds/poll.ts";
import { guardedFetcher, guardedPoster } from "./guardedFetcher.ts";
import { webhookConsumer } from "../domain/webhooks/consumer.ts";
import { webhookLane } from "../domain/webhooks/deliver.ts";
import { pollJobLane } from "../domain/polls/close.ts";
import { portabilityLanes } from "./portabilityLanes.ts";

/** Deliveries in flight at once: enough to fan out to hundreds of servers quickly, few enough to be polite. */
export const DELIVERY_CONCURRENCY = 24;

export function startFederationWorker(deps: Deps, options: { pollMs?: number } = {}): Promise<Worker> {
  return startWorker(deps.db, deps.log, [
    // Webhooks first: they only queue deliveries (idempotently), so a federation failure that retries the event costs them nothing.
    { concurrency: 1, handlers: { [EVENT_JOB]: eventDispatcher([webhookConsumer(deps.db, deps.config.origin), { handle: eventHandler(deps).run }]) } },
    { concurrency: DELIVERY_CONCURRENCY, handlers: { [DELIVER_JOB]: deliveryHandler(deps), [BACKFILL_JOB]: backfillHandler(deps) } },
    feedLane({ ...deps, fetch: guardedFetcher(deps.config), place: { mediaDir: deps.config.mediaDir, domain: deps.config.domain } }),
    webhookLane(deps.db, deps.log, guardedPoster(deps.config)),
    pollJobLane(deps.db),
    ...portabilityLanes(deps),
  ], options);
}
