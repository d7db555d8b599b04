/**
 * Outgoing webhooks: a member registers a URL for events about them (a new post of theirs, a reply
 * to them, a mention of them); the operator may also register camp-wide ones (every new post they
 * may see, every new member). Each has its own secret for signing; deliveries are listed with it.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../../db/open.ts";
import type { Role } from "../../db/schema.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { isHttpUrl } from "../text/urls.ts";

/** Events a member's webhook may ask for, with how the settings page names them. */
export const MEMBER_EVENTS = { "post.created": "A new post by me", reply: "A reply to me", mention: "A mention of me" } as const;
/** Events only the operator's camp-wide webhooks may ask for. */
export const CAMP_EVENTS = { "camp.post.created": "A new post by anyone in the camp (that I may see)", "member.joined": "A new member" } as const;
export type WebhookEvent = keyof typeof MEMBER_EVENTS | keyof typeof CAMP_EVENTS;

export const MAX_WEBHOOKS = 10;

/** Checks and records a webhook; returns its id. Only the operator may ask for camp-wide events. */
export async function addWebhook(db: Db, owner: { id: number; role: Role }, input: { url: string; events: string[] }): Promise<number> {
  const url = input.url.trim();
  if (!isHttpUrl(url)) refuse("invalid", "A webhook address starts with https:// (or http://).", "url");
  const allowed: string[] = [...Object.keys(MEMBER_EVENTS), ...(owner.role === "operator" ? Object.keys(CAMP_EVENTS) : [])];
  const events = [...new Set(input.events)];
  if (events.length === 0) refuse("invalid", "Choose at least one event to send.", "events");
  if (events.some((e) => !allowed.includes(e))) refuse("forbidden", "Only the operator can send camp-wide events.", "events");
  return db.transaction().execute(async (trx) => {
    const count = await trx.selectFrom("webhooks").select((eb) => eb.fn.countAll<number>().as("n")).where("account_id", "=", owner.id).executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_WEBHOOKS) refuse("invalid", `You can have at most ${MAX_WEBHOOKS} webhooks; remove one first.`, "url");
    const campWide = events.some((e) => e in CAMP_EVENTS) ? 1 : 0;
    const row = await trx.insertInto("webhooks")
      .values({ account_id: owner.id, camp_wide: campWide, url, secret: randomBytes(32).toString("hex"), events: events.join(" "), created_at: now() })
      .returning("id").executeTakeFirstOrThrow();
    return row.id;
  });
}

/** The owner's webhooks, each with its last deliveries (newest first). */
export async function listWebhooks(db: Db, ownerId: number, deliveriesEach = 5) {
  const hooks = await db.selectFrom("webhooks").select(["id", "url", "secret", "events", "camp_wide"]).where("account_id", "=", ownerId).orderBy("id").execute();
  return Promise.all(hooks.map(async (h) => ({
    ...h,
    events: h.events.split(" ") as WebhookEvent[],
    deliveries: await db.selectFrom("webhook_deliveries").select(["id", "event", "status", "attempts", "last_error", "updated_at"])
      .where("webhook_id", "=", h.id).orderBy("id", "desc").limit(deliveriesEach).execute(),
  })));
}

/** Removes one of the owner's webhooks and its deliveries (queued ones then find nothing to send). */
export async function removeWebhook(db: Db, ownerId: number, id: number): Promise<void> {
  await db.deleteFrom("webhooks").where("id", "=", id).where("account_id", "=", ownerId).execute();
}
