/**
 * Webhooks as a consumer of domain events: each event becomes one queued delivery per webhook that
 * wants it, and only when the webhook's owner may see the post (the audience gate, asked as that
 * member). Idempotent, as every event consumer must be: a delivery is keyed by its cause, so an
 * event handled twice queues nothing new.
 */
import type { Db } from "../../db/open.ts";
import { mayView } from "../audience.ts";
import { now } from "../clock.ts";
import { loadWithFacts, viewerForAccount } from "../posts/visibility.ts";
import type { DomainEvent, EventConsumer } from "../../jobs/events.ts";
import { enqueue } from "../../jobs/queue.ts";
import type { WebhookEvent } from "./hooks.ts";
import { memberPayload, postPayload, type WebhookPayload } from "./payload.ts";

export const WEBHOOK_JOB = "webhook.deliver";

interface Hook {
  id: number;
  account_id: number;
}

/** Queues one delivery unless this webhook already has one for the same cause; returns whether it queued. */
export async function queueDelivery(db: Db, hookId: number, eventKey: string, payload: WebhookPayload): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const at = now();
    const row = await trx.insertInto("webhook_deliveries")
      .values({ webhook_id: hookId, event_key: eventKey, event: payload.event, body: JSON.stringify(payload), status: "pending", created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(["webhook_id", "event_key"]).doNothing())
      .returning("id").executeTakeFirst();
    if (row) await enqueue(trx, WEBHOOK_JOB, { deliveryId: row.id });
    return row !== undefined;
  });
}

/** Webhooks wanting this event: a member's own (owner given) or every camp-wide one. */
async function hooksFor(db: Db, event: WebhookEvent, ownerId?: number): Promise<Hook[]> {
  let query = db.selectFrom("webhooks").innerJoin("accounts", "accounts.id", "webhooks.account_id")
    .select(["webhooks.id", "webhooks.account_id", "webhooks.events"])
    .where("accounts.suspended_at", "is", null)
    .where((eb) => eb.or([eb("webhooks.events", "=", event), eb("webhooks.events", "like", `${event} %`), eb("webhooks.events", "like", `% ${event}`), eb("webhooks.events", "like", `% ${event} %`)]));
  if (ownerId !== undefined) query = query.where("webhooks.account_id", "=", ownerId);
  return query.execute();
}

/** For each (owner, event) a post concerns, the webhooks that want it and whose owner may see the post. */
async function onPost(db: Db, origin: string, postId: number, local: boolean): Promise<void> {
  const row = await db.selectFrom("posts").select(["author_id", "in_reply_to_id", "boost_of_id"]).where("id", "=", postId).executeTakeFirst();
  if (!row || row.boost_of_id !== null) return;
  const parentAuthor = row.in_reply_to_id === null ? null
    : (await db.selectFrom("posts").select("author_id").where("id", "=", row.in_reply_to_id).executeTakeFirst())?.author_id ?? null;
  const mentioned = (await db.selectFrom("mentions").select("account_id").where("post_id", "=", postId).execute()).map((m) => m.account_id);
  const wanted: [WebhookEvent, Hook[]][] = [];
  if (local) wanted.push(["post.created", await hooksFor(db, "post.created", row.author_id)]);
  if (parentAuthor !== null && parentAuthor !== row.author_id) wanted.push(["reply", await hooksFor(db, "reply", parentAuthor)]);
  for (const id of mentioned) if (id !== row.author_id && id !== parentAuthor) wanted.push(["mention", await hooksFor(db, "mention", id)]);
  if (local) wanted.push(["camp.post.created", await hooksFor(db, "camp.post.created")]);
  const at = now();
  for (const [event, hooks] of wanted) {
    for (const hook of hooks) {
      // Asked as the owner: a webhook is never a way round the gate.
      const owner = await viewerForAccount(db, hook.account_id);
      const entry = (await loadWithFacts(db, owner, [postId])).get(postId);
      if (!entry || !mayView(owner, entry.facts)) continue;
      await queueDelivery(db, hook.id, `${event}:${postId}`, await postPayload(db, origin, event, entry.post, at));
    }
  }
}

/** The consumer the events job hands every domain event to. */
export function webhookConsumer(db: Db, origin: string): EventConsumer {
  return {
    async handle(event: DomainEvent) {
      // Most camps have no webhooks: one cheap look instead of a query per kind of event.
      if (!(await db.selectFrom("webhooks").select("id").limit(1).executeTakeFirst())) return;
      if (event.type === "post.created") return onPost(db, origin, event.postId, true);
      if (event.type === "post.received") return onPost(db, origin, event.postId, false);
      if (event.type === "member.joined") {
        for (const hook of await hooksFor(db, "member.joined")) {
          await queueDelivery(db, hook.id, `member.joined:${event.accountId}`, await memberPayload(db, origin, event.accountId, now()));
        }
      }
    },
  };
}
