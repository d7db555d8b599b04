/**
 * A fetched feed (RSS 2.0, RSS 1.0/RDF, Atom 1.0 or JSON Feed 1.x) in the one shape the importer
 * needs. Parsing is feedsmith's (it refuses DOCTYPE entities and external entities, and keeps the
 * entries' fields as they are, so we decide ourselves what is text and what is HTML); this file
 * only maps its four shapes onto ours.
 */
import { createHash } from "node:crypto";
import { parseFeed } from "feedsmith";
import { refuse } from "../errors.ts";
import { isHttpUrl } from "../text/urls.ts";

export interface FeedEntry {
  /** The entry's guid or id; without one, its link and title together. */
  key: string;
  title: string;
  link: string | null;
  /** As the feed gave it: still to be sanitized. */
  summaryHtml: string;
  imageUrl: string | null;
  publishedAt: number | null;
}

export interface ParsedFeed {
  title: string;
  siteUrl: string | null;
  /** Entries newest first (by date where the feed gives dates, else in the feed's own order). */
  entries: FeedEntry[];
  /** The feed's own wish about how often to check, in minutes (RSS `ttl`). */
  ttlMinutes: number | null;
  /** UTC hours in which the feed asks not to be checked (RSS `skipHours`). */
  skipHours: number[];
}

/** The most entries one fetch is read for: a feed of 10,000 entries is read for its newest ones. */
export const MAX_ENTRIES_READ = 1000;

// feedsmith's four result shapes share no type; we read them field by field.
type Loose = Record<string, any>;

const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 32);
const str = (value: unknown): string => (typeof value === "string" ? value.trim() : "");
const textOf = (value: unknown): string => (typeof value === "object" && value !== null ? str((value as Loose).value) : str(value));
const httpOrNull = (value: unknown): string | null => (isHttpUrl(str(value)) ? str(value) : null);

function dateOf(...candidates: unknown[]): number | null {
  for (const candidate of candidates) {
    const time = Date.parse(str(candidate));
    if (!Number.isNaN(time)) return time;
  }
  return null;
}

/** The first image the entry names: an enclosure or media element, else the first <img> of its HTML. */
function firstImage(candidates: unknown[], html: string): string | null {
  for (const candidate of candidates) {
    const url = httpOrNull(candidate);
    if (url) return url;
  }
  const img = /<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']/i.exec(html);
  return img ? httpOrNull(img[1]!.replace(/&amp;/g, "&")) : null;
}

function entryKey(id: string, link: string | null, title: string, summary: string): string {
  if (id) return `id:${id.slice(0, 500)}`;
  if (link || title) return `lt:${hash(`${link ?? ""}\n${title}`)}`;
  return `sum:${hash(summary)}`;
}

function rssEntry(item: Loose): FeedEntry {
  const link = httpOrNull(item.link) ?? (item.guid?.isPermaLink !== false ? httpOrNull(item.guid?.value) : null);
  const title = str(item.title);
  const summaryHtml = str(item.content?.encoded) || str(item.description);
  const images = [
    ...(item.enclosures ?? []).filter((e: Loose) => str(e.type).startsWith("image/")).map((e: Loose) => e.url),
    item.media?.thumbnails?.[0]?.url, item.media?.contents?.find((m: Loose) => str(m.type).startsWith("image/") || m.medium === "image")?.url,
  ];
  return {
    key: entryKey(textOf(item.guid), link, title, summaryHtml), title, link, summaryHtml,
    imageUrl: firstImage(images, summaryHtml), publishedAt: dateOf(item.pubDate, item.dc?.date, item.dc?.dates?.[0]),
  };
}

function atomText(text: Loose | undefined): string {
  if (!text) return "";
  const value = str(text.value);
  // Atom text constructs of type "text" are plain text: escape them so they stay text.
  return text.type === "html" || text.type === "xhtml" ? value : value.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}

function atomEntry(entry: Loose): FeedEntry {
  const links: Loose[] = entry.links ?? [];
  const link = httpOrNull((links.find((l) => !l.rel || l.rel === "alternate") ?? links[0])?.href);
  const title = textOf(entry.title);
  const summaryHtml = atomText(entry.content) || atomText(entry.summary);
  const images = [links.find((l) => l.rel === "enclosure" && str(l.type).startsWith("image/"))?.href, entry.media?.thumbnails?.[0]?.url];
  return {
    key: entryKey(str(entry.id), link, title, summaryHtml), title, link, summaryHtml,
    imageUrl: firstImage(images, summaryHtml), publishedAt: dateOf(entry.published, entry.updated),
  };
}

function jsonEntry(item: Loose): FeedEntry {
  const link = httpOrNull(item.url) ?? httpOrNull(item.external_url);
  const title = str(item.title);
  const summaryHtml = str(item.content_html) || str(item.summary) || str(item.content_text).replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return {
    key: entryKey(str(String(item.id ?? "")), link, title, summaryHtml), title, link, summaryHtml,
    imageUrl: firstImage([item.image, item.banner_image], summaryHtml), publishedAt: dateOf(item.date_published, item.date_modified),
  };
}

/** Newest first by date; entries without a date keep their place in the feed's own order. */
function newestFirst(entries: FeedEntry[]): FeedEntry[] {
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => (a.entry.publishedAt !== null && b.entry.publishedAt !== null ? b.entry.publishedAt - a.entry.publishedAt : a.index - b.index))
    .map(({ entry }) => entry);
}

/** Parses a feed document, or refuses with a reason a member can act on. */
export function parseFeedDocument(text: string): ParsedFeed {
  // feedsmith leaves declared entities unexpanded; we refuse them outright (billion laughs, XXE):
  // no feed needs its own entities, and a clear refusal beats posts full of "&lol9;".
  if (/<!ENTITY/i.test(text.slice(0, 64 * 1024))) refuse("invalid", "This feed declares its own XML entities, which are refused for safety.", "url");
  let result: { format: string; feed: Loose };
  try {
    result = parseFeed(text) as { format: string; feed: Loose };
  } catch (error) {
    return refuse("invalid", (error as Error).name === "DetectError"
      ? "This address does not serve an RSS, Atom or JSON feed."
      : "This feed is not well-formed XML or JSON, so it cannot be read.", "url");
  }
  const feed = result.feed;
  const raw: Loose[] = (result.format === "atom" ? feed.entries : feed.items) ?? [];
  const map = result.format === "atom" ? atomEntry : result.format === "json" ? jsonEntry : rssEntry;
  const entries = raw.slice(0, MAX_ENTRIES_READ).map(map);
  const siteUrl = result.format === "atom"
    ? httpOrNull((feed.links ?? []).find((l: Loose) => !l.rel || l.rel === "alternate")?.href)
    : httpOrNull(result.format === "json" ? feed.home_page_url : feed.link);
  const ttl = Number(feed.ttl);
  return {
    title: textOf(feed.title),
    siteUrl,
    entries: newestFirst(entries),
    ttlMinutes: result.format === "rss" && Number.isFinite(ttl) && ttl > 0 ? ttl : null,
    skipHours: result.format === "rss" ? (feed.skipHours ?? []).filter((h: unknown) => Number.isInteger(h) && (h as number) >= 0 && (h as number) < 24) : [],
  };
}

/** Whether a response looks like a web page rather than a feed, so its feed links are worth looking for. */
export function looksLikeHtml(contentType: string | null, text: string): boolean {
  return /text\/html|application\/xhtml/i.test(contentType ?? "") || /^\s*(<!doctype html|<html)/i.test(text);
}
