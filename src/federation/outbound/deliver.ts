/**
 * Delivery: one job per (activity, inbox). The activity's JSON is fixed when the job is made,
 * so every retry carries the same activity id and a peer sees at most one activity; only the
 * signature (Date) is fresh each time.
 */
import type { Db } from "../../db/open.ts";
import type { Deps } from "../../web/env.ts";
import { type JobHandler, ParkJob, PermanentFailure } from "../../jobs/worker.ts";
import { isUnavailable, markUnavailable, recordFailure, recordSuccess } from "../inboxHealth.ts";
import { signerFor } from "../localActors.ts";
import { mayFederateWith } from "../policy.ts";
import { FetchRefused, safeFetch } from "../safeFetch.ts";
import { signRequest } from "../signatures.ts";
import { hostOf } from "../urls.ts";
import { ACTIVITY_JSON } from "../vocab/context.ts";

export const DELIVER_JOB = "deliver";

export interface Delivery {
  inbox: string;
  domain: string;
  signerId: number;
  activityId: string;
  body: string;
}

/** Queues the activity for each inbox once, in one statement per batch (a fan-out may reach hundreds of servers). */
export async function enqueueDeliveries(db: Db, signerId: number, activity: { id: string } & Record<string, unknown>, inboxes: Iterable<string>): Promise<number> {
  const body = JSON.stringify(activity);
  const at = Date.now();
  const rows = [...new Set(inboxes)].flatMap((inbox) => {
    const domain = hostOf(inbox);
    if (!domain) return [];
    const delivery: Delivery = { inbox, domain, signerId, activityId: activity.id, body };
    return [{ kind: DELIVER_JOB, payload: JSON.stringify(delivery), dedupe_key: `deliver ${activity.id} ${inbox}`, run_at: at, created_at: at }];
  });
  for (let i = 0; i < rows.length; i += 200) {
    await db.insertInto("jobs").values(rows.slice(i, i + 200)).onConflict((oc) => oc.column("dedupe_key").doNothing()).execute();
  }
  return rows.length;
}

/** The job handler that POSTs one activity to one inbox, signed as its actor. */
export function deliveryHandler(deps: Deps): JobHandler {
  return {
    // Activities reach one inbox in the order they were queued: a Create before its Update.
    orderKey: (payload) => (payload as Delivery).inbox,
    async run(payload) {
      const delivery = payload as Delivery;
      if (!(await mayFederateWith(deps.db, delivery.domain))) {
        throw new PermanentFailure(`this camp no longer federates with ${delivery.domain}`);
      }
      if (await isUnavailable(deps.db, delivery.inbox)) throw new ParkJob(`${delivery.inbox} is unavailable`);
      const signer = await signerFor(deps.db, deps.config, delivery.signerId);
      let status: number;
      try {
        const response = await safeFetch(deps.config, delivery.inbox, {
          method: "POST",
          body: delivery.body,
          maxBytes: 64 * 1024,
          headers: (url) => ({
            "content-type": ACTIVITY_JSON,
            accept: ACTIVITY_JSON,
            ...signRequest({ method: "POST", url, body: delivery.body, keyId: signer.keyId, privateKey: signer.privateKey }),
          }),
        });
        status = response.status;
      } catch (error) {
        if (!(error instanceof FetchRefused)) throw error;
        await recordFailure(deps.db, delivery.inbox, delivery.domain, Date.now());
        throw error;
      }
      if (status >= 200 && status < 300) {
        await recordSuccess(deps.db, delivery.inbox);
        deps.log.debug("federation: delivered", { activityId: delivery.activityId, inbox: delivery.inbox, status });
        return;
      }
      // A 4xx other than timeouts and rate limits will not change on retry.
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        deps.log.warn("federation: delivery refused", { activityId: delivery.activityId, inbox: delivery.inbox, status });
        throw new PermanentFailure(`${delivery.inbox} answered ${status}`);
      }
      await recordFailure(deps.db, delivery.inbox, delivery.domain, Date.now());
      throw new Error(`${delivery.inbox} answered ${status}`);
    },
    async giveUp(payload) {
      const delivery = payload as Delivery;
      await markUnavailable(deps.db, delivery.inbox, delivery.domain, Date.now());
      deps.log.warn("federation: inbox marked unavailable", { inbox: delivery.inbox });
      return true;
    },
  };
}
