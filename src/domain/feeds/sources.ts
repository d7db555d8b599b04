/**
 * A member's feed sources: added (a feed URL, or a page whose `<link rel="alternate">` names one),
 * listed with their last result, switched on and off, and removed. Each source has one live poll
 * on the queue; scheduling a new one makes every older one stale (see poll_token).
 */
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Db } from "../../db/open.ts";
import type { Audience, Database } from "../../db/schema.ts";
import { FEED_SOURCE_AUDIENCES, isAudience } from "../audience.ts";
import { now } from "../clock.ts";
import { Refusal, refuse } from "../errors.ts";
import { isHttpUrl } from "../text/urls.ts";
import { enqueue } from "../../jobs/queue.ts";
import { discoverFeedUrls } from "./discover.ts";
import { MAX_FEED_BYTES, reasonOf, type FeedFetcher } from "./fetcher.ts";
import { looksLikeHtml, parseFeedDocument } from "./parse.ts";

export const FEED_POLL_JOB = "feed.poll";
export const MAX_SOURCES = 100;
export const MAX_LABEL = 100;

/** A queued check of one source; `importHeld` also brings in the entries held back so far. */
export interface FeedPollPayload {
  sourceId: number;
  token: string;
  importHeld?: boolean;
}

/** Makes a new check of the source the only live one, due at `runAt`. */
export async function schedulePoll(trx: Kysely<Database>, sourceId: number, runAt: number, importHeld = false): Promise<void> {
  const token = randomBytes(8).toString("hex");
  await trx.updateTable("feed_sources").set({ poll_token: token, next_poll_at: runAt }).where("id", "=", sourceId).execute();
  const payload: FeedPollPayload = { sourceId, token, ...(importHeld ? { importHeld } : {}) };
  await enqueue(trx, FEED_POLL_JOB, payload, { runAt });
}

/** Checks the fields of a source form; refuses with the field at fault. */
export function checkSourceFields(input: { url: string; label: string; audience: string }): { url: string; label: string; audience: Audience } {
  const url = input.url.trim();
  if (!url) refuse("invalid", "Paste the address of a feed or of the site that has one.", "url");
  if (!isHttpUrl(url)) refuse("invalid", "Feed addresses start with http:// or https://.", "url");
  const label = input.label.trim();
  if (label.length > MAX_LABEL) refuse("invalid", `A label can be at most ${MAX_LABEL} characters.`, "label");
  if (!isAudience(input.audience) || !FEED_SOURCE_AUDIENCES.includes(input.audience)) {
    refuse("invalid", "Choose who can see the posts this feed brings in.", "audience");
  }
  return { url, label, audience: input.audience as Audience };
}

/** The feed behind a URL: the URL itself when it serves a feed, else the first feed its page names. */
export async function findFeed(fetch: FeedFetcher, url: string): Promise<{ url: string; title: string }> {
  const read = async (target: string) => {
    try {
      const response = await fetch(target, { maxBytes: MAX_FEED_BYTES });
      if (response.status !== 200) refuse("invalid", `${new URL(target).host} answered with status ${response.status}; check the address.`, "url");
      return response;
    } catch (error) {
      if (error instanceof Refusal) throw error;
      return refuse("invalid", `Could not read ${target}: ${reasonOf(error)}`, "url");
    }
  };
  const first = await read(url);
  if (looksLikeHtml(first.headers.get("content-type"), first.text)) {
    const found = discoverFeedUrls(first.text, first.url)[0];
    if (!found) refuse("invalid", "This page does not name a feed (no <link rel=\"alternate\"> to RSS, Atom or JSON Feed). Paste the feed's own address.", "url");
    const feed = await read(found!);
    return { url: found!, title: parseFeedDocument(feed.text).title };
  }
  return { url, title: parseFeedDocument(first.text).title };
}

/** Adds a source after finding its feed, and queues its first check now. Returns the source id. */
export async function addSource(db: Db, fetch: FeedFetcher, accountId: number, input: { url: string; label: string; audience: string }): Promise<number> {
  const fields = checkSourceFields(input);
  const feed = await findFeed(fetch, fields.url);
  return insertSource(db, accountId, { url: feed.url, label: fields.label || feed.title || new URL(feed.url).host, audience: fields.audience });
}

/** Records a source whose feed URL is known, and queues its first check now (in one transaction). */
export async function insertSource(db: Db, accountId: number, source: { url: string; label: string; audience: Audience }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const count = await trx.selectFrom("feed_sources").select((eb) => eb.fn.countAll<number>().as("n")).where("account_id", "=", accountId).executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_SOURCES) refuse("invalid", `You can tie in at most ${MAX_SOURCES} feeds; remove one first.`, "url");
    const existing = await trx.selectFrom("feed_sources").select("id").where("account_id", "=", accountId).where("url", "=", source.url).executeTakeFirst();
    if (existing) refuse("conflict", `You already follow ${source.url} as a source.`, "url");
    const row = await trx.insertInto("feed_sources")
      .values({ account_id: accountId, label: source.label.slice(0, MAX_LABEL), url: source.url, audience: source.audience, created_at: now() })
      .returning("id").executeTakeFirstOrThrow();
    await schedulePoll(trx, row.id, now());
    return row.id;
  });
}

/** The member's sources with their last result, for the settings page. */
export async function listSources(db: Db, accountId: number) {
  return db.selectFrom("feed_sources")
    .select(["id", "label", "url", "audience", "enabled", "last_checked_at", "last_result", "last_error", "next_poll_at", "held_back", "failures"])
    .where("account_id", "=", accountId).orderBy("label").execute();
}

/** Changes a source's label and the audience of the posts it brings in from now on (earlier posts keep theirs). */
export async function updateSource(db: Db, accountId: number, sourceId: number, input: { label: string; audience: string }): Promise<void> {
  const source = await db.selectFrom("feed_sources").select("url").where("id", "=", sourceId).where("account_id", "=", accountId).executeTakeFirst();
  if (!source) refuse("not_found", "That feed is not one of yours.");
  const fields = checkSourceFields({ url: source!.url, label: input.label, audience: input.audience });
  if (!fields.label) refuse("invalid", "Give the feed a label.", "label");
  await db.updateTable("feed_sources").set({ label: fields.label, audience: fields.audience }).where("id", "=", sourceId).where("account_id", "=", accountId).execute();
}

/** Switches a source on (checked now) or off (its queued check goes stale). */
export async function setSourceEnabled(db: Db, accountId: number, sourceId: number, enabled: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable("feed_sources").set({ enabled: enabled ? 1 : 0, poll_token: null, next_poll_at: null, failures: 0 })
      .where("id", "=", sourceId).where("account_id", "=", accountId).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) refuse("not_found", "That feed is not one of yours.");
    if (enabled) await schedulePoll(trx, sourceId, now());
  });
}

/** Queues a check now that also imports the entries held back by the caps. */
export async function importHeldEntries(db: Db, accountId: number, sourceId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const source = await trx.selectFrom("feed_sources").select("enabled").where("id", "=", sourceId).where("account_id", "=", accountId).executeTakeFirst();
    if (!source) refuse("not_found", "That feed is not one of yours.");
    if (!source!.enabled) refuse("invalid", "Switch the feed on first.");
    await schedulePoll(trx, sourceId, now(), true);
  });
}

/** Removes a source; the posts it brought in stay, with their origin. */
export async function removeSource(db: Db, accountId: number, sourceId: number): Promise<void> {
  await db.deleteFrom("feed_sources").where("id", "=", sourceId).where("account_id", "=", accountId).execute();
}
