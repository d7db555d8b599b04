/**
 * A published feed as an RSS 2.0, Atom 1.0 or JSON Feed 1.1 document, written by feedsmith (the
 * parser we read feeds with, so the tests read ours back with it). Props in, text out.
 */
import { generateAtomFeed, generateJsonFeed, generateRssFeed } from "feedsmith";
import type { FeedFormat, PublishedFeed, PublishedPost } from "../src/domain/feeds/publish.ts";

const TITLE_CHARS = 80;

/** Post HTML links to our own pages by path; a feed reader needs whole URLs. */
const absolute = (html: string, origin: string) => html.replace(/(href|src)="\/(?!\/)/g, `$1="${origin}/`);

/** A short title from the content warning, or else the first words of the text. */
function titleOf(post: PublishedPost): string {
  const text = post.contentWarning || post.html.replace(/<[^>]*>/g, " ").replace(/&(amp|lt|gt|quot|#39);/g, (_, e) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e as string]!).replace(/\s+/g, " ").trim();
  return text.length > TITLE_CHARS ? `${text.slice(0, TITLE_CHARS - 1)}…` : text || `Post by @${post.author.handle}`;
}

const contentOf = (post: PublishedPost, origin: string) =>
  (post.contentWarning ? `<p><strong>Content warning: ${post.contentWarning.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</strong></p>` : "") + absolute(post.html, origin);

/** The document and its media type's format for one feed. */
export function feedDocument(format: FeedFormat, feed: PublishedFeed, origin: string): string {
  const page = `${origin}${feed.pagePath}`;
  const self = `${origin}${feed.feedPath}.${format}`;
  const entries = feed.posts.map((p) => ({ post: p, url: `${origin}/posts/${p.id}`, title: titleOf(p), html: contentOf(p, origin), date: new Date(p.createdAt), updated: new Date(p.editedAt ?? p.createdAt) }));
  if (format === "rss") {
    return generateRssFeed({
      title: feed.title, link: page, description: feed.title,
      atom: { links: [{ href: self, rel: "self", type: "application/rss+xml" }] },
      items: entries.map((e) => ({ title: e.title, link: e.url, guid: { value: e.url, isPermaLink: true }, description: e.html, pubDate: e.date })),
    });
  }
  if (format === "atom") {
    return generateAtomFeed({
      id: self, title: { value: feed.title }, updated: entries[0]?.updated ?? new Date(0),
      links: [{ href: page, rel: "alternate", type: "text/html" }, { href: self, rel: "self", type: "application/atom+xml" }],
      entries: entries.map((e) => ({
        id: e.url, title: { value: e.title }, updated: e.updated, published: e.date, links: [{ href: e.url, rel: "alternate" }],
        content: { value: e.html, type: "html" }, authors: [{ name: e.post.author.displayName, uri: `${origin}/@${e.post.author.handle}` }],
      })),
    });
  }
  const json = generateJsonFeed({
    title: feed.title, home_page_url: page, feed_url: self,
    items: entries.map((e) => ({
      id: e.url, url: e.url, title: e.title, content_html: e.html, date_published: e.date, ...(e.post.editedAt ? { date_modified: e.updated } : {}),
      authors: [{ name: e.post.author.displayName, url: `${origin}/@${e.post.author.handle}` }],
    })),
  }) as { items?: unknown[] };
  // JSON Feed requires `items`, even empty; the generator leaves an empty list out.
  return JSON.stringify({ ...json, items: json.items ?? [] });
}
