/**
 * Finding a site's feed from one of its pages: the `<link rel="alternate">` elements of the page's
 * head that name an RSS, Atom or JSON feed (the HTML autodiscovery convention). A small, careful
 * scan of the head rather than an HTML parser: only `<link>` tags are read, attribute by attribute.
 */
import { isHttpUrl } from "../text/urls.ts";

const FEED_TYPES = ["application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"];
/** How much of a page is scanned: the head comes first, and feeds are named there. */
const SCAN_CHARS = 256 * 1024;

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of tag.matchAll(/([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    found.set(match[1]!.toLowerCase(), (match[2] ?? match[3] ?? match[4] ?? "").replace(/&amp;/g, "&").trim());
  }
  return found;
}

/** The feed URLs a page announces, absolute, in the page's order (its preferred feed first). */
export function discoverFeedUrls(html: string, pageUrl: string): string[] {
  const head = html.slice(0, SCAN_CHARS);
  const urls: string[] = [];
  for (const [tag] of head.matchAll(/<link\b[^>]*>/gi)) {
    const attrs = attributes(tag);
    const rel = (attrs.get("rel") ?? "").toLowerCase().split(/\s+/);
    const type = (attrs.get("type") ?? "").toLowerCase().split(";")[0]!.trim();
    const href = attrs.get("href");
    if (!rel.includes("alternate") || !FEED_TYPES.includes(type) || !href) continue;
    try {
      const absolute = new URL(href, pageUrl).toString();
      if (isHttpUrl(absolute) && !urls.includes(absolute)) urls.push(absolute);
    } catch {
      // An unparseable href names no feed.
    }
  }
  return urls;
}
