/**
 * Entries become posts by the member who tied the feed in: new entries are created through the
 * ordinary post path (so they are threads like any other, behind the same audience gate), edited
 * entries update their post through the ordinary edit path, and known ones are left alone. No
 * check brings in more than NEW_POSTS_PER_CHECK new posts: the rest are held back until the member
 * asks for them, so a feed that changes every id on every fetch cannot flood the stream.
 */
import { createHash } from "node:crypto";
import type { Audience } from "../../db/schema.ts";
import { now } from "../clock.ts";
import { Refusal } from "../errors.ts";
import { checkAttachments, type AttachmentUpload } from "../media/attachments.ts";
import { createPost } from "../posts/create.ts";
import { editPost } from "../posts/edit.ts";
import { sanitize } from "../text/sanitize.ts";
import { MAX_ENTRY_IMAGE_BYTES, reasonOf, type FeedContext } from "./fetcher.ts";
import type { FeedEntry } from "./parse.ts";

/** New posts one check may bring in; the first import of a long feed therefore brings the newest 20. */
export const NEW_POSTS_PER_CHECK = 20;
/** Held-back entries brought in by one "import older entries" check. */
export const HELD_PER_CHECK = 500;

const MAX_TITLE = 300;
const MAX_SUMMARY_HTML = 4000;
const SHORT_SUMMARY = 1000;

export interface ImportSource {
  id: number;
  account_id: number;
  audience: Audience;
  url: string;
}

export interface ImportResult {
  created: number;
  updated: number;
  /** Entries seen but not imported, waiting for "import older entries". */
  held: number;
  failed: number;
}

const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 32);
const fingerprintOf = (e: FeedEntry) => hash(JSON.stringify([e.title, e.link, e.summaryHtml, e.imageUrl]));
const escapeText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escapeMarkdown = (text: string) => text.replace(/([\\`*_[\]<>#])/g, "\\$1");
const plainText = (html: string) => sanitize(html.replace(/<\/(p|li|h\d|blockquote)>/gi, "\n")).replace(/<[^>]*>/g, "").replace(/&nbsp;/g, " ").trim();

function hostOf(url: string | null): string | null {
  try {
    return url ? new URL(url).host : null;
  } catch {
    return null;
  }
}

/**
 * The post text of an entry: its title linking to the original, then its summary as sanitized HTML
 * (a long one shortened to plain text). Post sources are markdown, which keeps HTML that the one
 * sanitizer lets through.
 */
export function postTextOf(entry: FeedEntry): string {
  const title = escapeMarkdown(plainText(entry.title).slice(0, MAX_TITLE));
  const heading = title ? (entry.link ? `**[${title}](<${entry.link}>)**` : `**${title}**`) : entry.link ? `<${entry.link}>` : "";
  const cleaned = sanitize(entry.summaryHtml).trim();
  const summary = cleaned.length <= MAX_SUMMARY_HTML ? cleaned : `<p>${escapeText(plainText(cleaned).slice(0, SHORT_SUMMARY))}…</p>`;
  return [heading, summary].filter(Boolean).join("\n\n") || "(an entry without text)";
}

/** The entry's first image, fetched through the guarded fetcher; none when it cannot be had or is not an image. */
async function imageOf(ctx: FeedContext, entry: FeedEntry): Promise<AttachmentUpload[]> {
  if (!entry.imageUrl) return [];
  try {
    const response = await ctx.fetch(entry.imageUrl, { maxBytes: MAX_ENTRY_IMAGE_BYTES });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    const upload = { bytes: response.bytes, alt: plainText(entry.title).slice(0, 1500) };
    checkAttachments([upload]);
    return [upload];
  } catch (error) {
    ctx.log.info("feeds: entry image skipped", { url: entry.imageUrl, reason: reasonOf(error) });
    return [];
  }
}

async function createEntryPost(ctx: FeedContext, source: ImportSource, entry: FeedEntry, fingerprint: string): Promise<void> {
  const images = await imageOf(ctx, entry);
  const row = { link: entry.link, fingerprint, published_at: entry.publishedAt, origin_host: hostOf(entry.link) ?? hostOf(source.url) ?? "" };
  await createPost(ctx.db, ctx.place, source.account_id, { source: postTextOf(entry), contentWarning: "", audience: source.audience, images }, async (trx, postId) => {
    await trx.insertInto("feed_entries")
      .values({ source_id: source.id, entry_key: entry.key, post_id: postId, created_at: now(), ...row })
      .onConflict((oc) => oc.columns(["source_id", "entry_key"]).doUpdateSet({ post_id: postId, ...row }))
      .execute();
  });
}

/** An edited entry: its post gets the new text through the edit path, keeping the audience the member gave it. */
async function updateEntryPost(ctx: FeedContext, source: ImportSource, entry: FeedEntry, postId: number, fingerprint: string): Promise<boolean> {
  const post = await ctx.db.selectFrom("posts").select(["audience", "content_warning", "deleted_at"]).where("id", "=", postId).executeTakeFirst();
  let edited = false;
  if (post && post.deleted_at === null) {
    await editPost(ctx.db, ctx.place, source.account_id, postId, { source: postTextOf(entry), contentWarning: post.content_warning, audience: post.audience, confirmWiden: false });
    edited = true;
  }
  await ctx.db.updateTable("feed_entries").set({ fingerprint, link: entry.link }).where("source_id", "=", source.id).where("entry_key", "=", entry.key).execute();
  return edited;
}

/** Brings a fetched feed's entries in; `importHeld` also imports entries held back by earlier checks. */
export async function importEntries(ctx: FeedContext, source: ImportSource, entries: FeedEntry[], importHeld: boolean): Promise<ImportResult> {
  const unique = [...new Map(entries.map((e) => [e.key, e])).values()];
  const known = new Map<string, { post_id: number | null; fingerprint: string }>();
  for (let i = 0; i < unique.length; i += 500) {
    const keys = unique.slice(i, i + 500).map((e) => e.key);
    const rows = await ctx.db.selectFrom("feed_entries").select(["entry_key", "post_id", "fingerprint"]).where("source_id", "=", source.id).where("entry_key", "in", keys).execute();
    for (const row of rows) known.set(row.entry_key, row);
  }
  const result: ImportResult = { created: 0, updated: 0, held: 0, failed: 0 };
  const toCreate: FeedEntry[] = [];
  const toHold: FeedEntry[] = [];
  let heldTaken = 0;
  for (const entry of unique) {
    const row = known.get(entry.key);
    const fingerprint = fingerprintOf(entry);
    if (!row) {
      (toCreate.length < NEW_POSTS_PER_CHECK ? toCreate : toHold).push(entry);
    } else if (row.post_id === null) {
      if (importHeld && heldTaken++ < HELD_PER_CHECK) toCreate.push(entry);
    } else if (row.fingerprint !== fingerprint) {
      try {
        if (await updateEntryPost(ctx, source, entry, row.post_id, fingerprint)) result.updated++;
      } catch (error) {
        result.failed++;
        ctx.log.warn("feeds: entry update refused", { sourceId: source.id, entry: entry.key, reason: reasonOf(error) });
      }
    }
  }
  if (toHold.length) {
    await ctx.db.insertInto("feed_entries").values(toHold.map((e) => ({
      source_id: source.id, entry_key: e.key, post_id: null, link: e.link, fingerprint: fingerprintOf(e),
      published_at: e.publishedAt, origin_host: hostOf(e.link) ?? hostOf(source.url) ?? "", created_at: now(),
    }))).onConflict((oc) => oc.doNothing()).execute();
  }
  // Oldest first, so the stream shows the newest entry on top.
  for (const entry of toCreate.reverse()) {
    try {
      await createEntryPost(ctx, source, entry, fingerprintOf(entry));
      result.created++;
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      result.failed++;
      ctx.log.warn("feeds: entry refused", { sourceId: source.id, entry: entry.key, reason: error.message });
    }
  }
  const held = await ctx.db.selectFrom("feed_entries").select((eb) => eb.fn.countAll<number>().as("n")).where("source_id", "=", source.id).where("post_id", "is", null).executeTakeFirstOrThrow();
  result.held = Number(held.n);
  return result;
}
