/**
 * Sending a queued delivery: the stored JSON body, POSTed through the guarded fetcher handed in,
 * signed with the webhook's secret (HMAC-SHA256 over "TIMESTAMP.BODY", the timestamp sent beside
 * it so receivers can refuse replays). Anything but a 2xx is retried by the queue with its backoff;
 * after the last retry the delivery is marked failed. Each attempt is recorded for the settings page.
 */
import { createHmac, randomUUID } from "node:crypto";
import type { Db } from "../../db/open.ts";
import type { Logger } from "../../log.ts";
import type { Lane } from "../../jobs/worker.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { queueDelivery, WEBHOOK_JOB } from "./consumer.ts";
import type { WebhookPayload } from "./payload.ts";

/** POSTs a body under the guarded rules (public addresses only, bounded time); throws with a reason when nothing answered. */
export type WebhookPoster = (url: string, request: { body: string; headers: Record<string, string> }) => Promise<{ status: number }>;

export const SIGNATURE_HEADER = "x-kith-signature";
export const TIMESTAMP_HEADER = "x-kith-timestamp";

/** The signature header's value: "sha256=" and the hex HMAC-SHA256 of "TIMESTAMP.BODY" under the secret. */
export function signatureOf(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

async function deliver(db: Db, log: Logger, post: WebhookPoster, deliveryId: number): Promise<void> {
  const row = await db.selectFrom("webhook_deliveries").innerJoin("webhooks", "webhooks.id", "webhook_deliveries.webhook_id")
    .select(["webhook_deliveries.body", "webhook_deliveries.event", "webhook_deliveries.attempts", "webhooks.url", "webhooks.secret"])
    .where("webhook_deliveries.id", "=", deliveryId).executeTakeFirst();
  // The webhook was removed since: nothing to send.
  if (!row) return;
  const timestamp = String(Math.floor(now() / 1000));
  let failure: string | null = null;
  try {
    const response = await post(row.url, {
      body: row.body,
      headers: {
        "content-type": "application/json", "user-agent": "Kith webhooks", "x-kith-event": row.event, "x-kith-delivery": String(deliveryId),
        [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signatureOf(row.secret, timestamp, row.body),
      },
    });
    if (response.status < 200 || response.status > 299) failure = `answered with status ${response.status}`;
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  await db.updateTable("webhook_deliveries")
    .set({ attempts: row.attempts + 1, status: failure ? "pending" : "delivered", last_error: failure, updated_at: now() })
    .where("id", "=", deliveryId).execute();
  if (failure) {
    log.warn("webhooks: delivery failed, will retry", { deliveryId, attempts: row.attempts + 1, reason: failure });
    throw new Error(`webhook ${failure}`);
  }
  log.info("webhooks: delivered", { deliveryId, event: row.event });
}

/** The queue lane for webhook deliveries; after the last retry the delivery is marked failed. */
export function webhookLane(db: Db, log: Logger, post: WebhookPoster): Lane {
  const id = (payload: unknown) => (payload as { deliveryId: number }).deliveryId;
  return {
    concurrency: 4,
    handlers: {
      [WEBHOOK_JOB]: {
        run: (payload) => deliver(db, log, post, id(payload)),
        async giveUp(payload) {
          await db.updateTable("webhook_deliveries").set({ status: "failed", updated_at: now() }).where("id", "=", id(payload)).execute();
          return false;
        },
      },
    },
  };
}

/** Queues a test delivery to one of the owner's webhooks ("send test" on the settings page). */
export async function sendTest(db: Db, origin: string, ownerId: number, hookId: number): Promise<void> {
  const hook = await db.selectFrom("webhooks").select("id").where("id", "=", hookId).where("account_id", "=", ownerId).executeTakeFirst();
  if (!hook) refuse("not_found", "That webhook is not one of yours.");
  const payload: WebhookPayload = { event: "test", created_at: new Date(now()).toISOString(), camp: origin, post: null, member: null };
  await queueDelivery(db, hookId, `test:${randomUUID()}`, payload);
}
