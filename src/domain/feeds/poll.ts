/**
 * One check of one source: a conditional GET through the guarded fetcher, the feed parsed, its
 * entries imported, and the result, the error if any, and the next check recorded together. A
 * failure never throws out of here: it is shown on the settings page, logged, and the next check
 * backs off. The job handler for the queue lives here too.
 */
import type { Lane } from "../../jobs/worker.ts";
import { DAY, now } from "../clock.ts";
import { Refusal } from "../errors.ts";
import { MAX_FEED_BYTES, reasonOf, type FeedContext } from "./fetcher.ts";
import { importEntries, NEW_POSTS_PER_CHECK, type ImportResult, type ImportSource } from "./importEntries.ts";
import { looksLikeHtml, parseFeedDocument } from "./parse.ts";
import { nextPollAt, retryAfterMs, type ScheduleHints } from "./schedule.ts";
import { FEED_POLL_JOB, schedulePoll, type FeedPollPayload } from "./sources.ts";

/** What a check came to, before it is recorded. */
type Outcome =
  | { ok: true; result: string; etag?: string | null; lastModified?: string | null; hints: Omit<ScheduleHints, "failures"> }
  | { ok: false; error: string; retryAfterMs?: number | null };

function describe(result: ImportResult): string {
  const parts = [`${result.created} new`, `${result.updated} updated`];
  if (result.failed) parts.push(`${result.failed} could not be imported (see the log)`);
  if (result.held) parts.push(`${result.held} older entries held back (at most ${NEW_POSTS_PER_CHECK} new posts per check)`);
  return parts.join(", ");
}

async function check(ctx: FeedContext, source: ImportSource & { etag: string | null; last_modified: string | null }, importHeld: boolean): Promise<Outcome> {
  const conditional: Record<string, string> = {};
  // Importing held entries needs the whole feed, not "not modified".
  if (!importHeld && source.etag) conditional["if-none-match"] = source.etag;
  if (!importHeld && source.last_modified) conditional["if-modified-since"] = source.last_modified;
  let response;
  try {
    response = await ctx.fetch(source.url, { maxBytes: MAX_FEED_BYTES, headers: { accept: "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5", ...conditional } });
  } catch (error) {
    return { ok: false, error: `Could not fetch the feed: ${reasonOf(error)}` };
  }
  if (response.status === 304) return { ok: true, result: "Not changed since the last check", hints: {} };
  if (response.status === 429 || response.status === 503) {
    return { ok: false, error: `The site asked us to come back later (status ${response.status})`, retryAfterMs: retryAfterMs(response.headers.get("retry-after"), now()) };
  }
  if (response.status !== 200) return { ok: false, error: `The feed answered with status ${response.status}` };
  if (looksLikeHtml(response.headers.get("content-type"), response.text)) {
    return { ok: false, error: "The address now serves a web page, not a feed" };
  }
  try {
    const feed = parseFeedDocument(response.text);
    const result = await importEntries(ctx, source, feed.entries, importHeld);
    return {
      ok: true, result: describe(result), etag: response.headers.get("etag"), lastModified: response.headers.get("last-modified"),
      hints: { ttlMinutes: feed.ttlMinutes, skipHours: feed.skipHours },
    };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.message };
    throw error;
  }
}

/** Runs the queued check of a source, unless a newer one replaced it or the source is off or gone. */
export async function pollSource(ctx: FeedContext, payload: FeedPollPayload): Promise<void> {
  const source = await ctx.db.selectFrom("feed_sources").innerJoin("accounts", "accounts.id", "feed_sources.account_id")
    .selectAll("feed_sources").select("accounts.suspended_at")
    .where("feed_sources.id", "=", payload.sourceId).executeTakeFirst();
  if (!source || !source.enabled || source.poll_token !== payload.token) return;
  // A suspended member's feeds are not fetched; they are looked at again daily, in case the suspension ends.
  if (source.suspended_at !== null) return schedulePoll(ctx.db, source.id, now() + DAY);
  const outcome = await check(ctx, source, payload.importHeld === true);
  const at = now();
  const failures = outcome.ok ? 0 : source.failures + 1;
  const next = nextPollAt(at, { failures, ...(outcome.ok ? outcome.hints : { retryAfterMs: outcome.retryAfterMs }) });
  const held = await ctx.db.selectFrom("feed_entries").select((eb) => eb.fn.countAll<number>().as("n")).where("source_id", "=", source.id).where("post_id", "is", null).executeTakeFirstOrThrow();
  const recorded = await ctx.db.transaction().execute(async (trx) => {
    // Switched off or rescheduled while this check ran: the newer state stands.
    const current = await trx.selectFrom("feed_sources").select("poll_token").where("id", "=", source.id).executeTakeFirst();
    if (current?.poll_token !== payload.token) return false;
    await trx.updateTable("feed_sources").set({
      last_checked_at: at, failures, held_back: Number(held.n),
      ...(outcome.ok
        ? { last_result: outcome.result, last_error: null, ...(outcome.etag !== undefined ? { etag: outcome.etag, last_modified: outcome.lastModified ?? null } : {}) }
        : { last_error: outcome.error }),
    }).where("id", "=", source.id).execute();
    await schedulePoll(trx, source.id, next);
    return true;
  });
  if (!recorded) return;
  if (outcome.ok) ctx.log.info("feeds: checked", { sourceId: source.id, result: outcome.result });
  else ctx.log.warn("feeds: check failed", { sourceId: source.id, error: outcome.error, failures, nextInMs: next - at });
}

/** The queue lane that runs feed checks, two at a time so one slow site does not hold up the rest. */
export function feedLane(ctx: FeedContext): Lane {
  return { concurrency: 2, handlers: { [FEED_POLL_JOB]: { run: (payload) => pollSource(ctx, payload as FeedPollPayload) } } };
}
