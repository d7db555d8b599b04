/**
 * A site on loopback that serves feeds for the feed tests: each path answers from a handler the
 * test can change, and every request is recorded with its headers (to see conditional GETs).
 */
export interface FeedSite {
  origin: string;
  /** Path → what it answers; change it between checks to play an edited or broken feed. */
  routes: Map<string, (request: Request) => Response | Promise<Response>>;
  requests: { path: string; headers: Headers }[];
  close(): Promise<void>;
}

export async function startFeedSite(): Promise<FeedSite> {
  const routes = new Map<string, (request: Request) => Response | Promise<Response>>();
  const requests: FeedSite["requests"] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      requests.push({ path, headers: request.headers });
      const route = routes.get(path);
      return route ? route(request) : new Response("not found", { status: 404 });
    },
  });
  return { origin: `http://127.0.0.1:${server.port}`, routes, requests, close: async () => void server.stop(true) };
}

export interface TestEntry {
  id?: string;
  title: string;
  link?: string;
  html?: string;
  date?: string;
  image?: string;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** An RSS 2.0 document. */
export function rss(entries: TestEntry[], extra = ""): string {
  const items = entries.map((e) => `<item><title>${esc(e.title)}</title>${e.link ? `<link>${e.link}</link>` : ""}${e.id ? `<guid isPermaLink="false">${esc(e.id)}</guid>` : ""}${e.html ? `<description>${esc(e.html)}</description>` : ""}${e.date ? `<pubDate>${new Date(e.date).toUTCString()}</pubDate>` : ""}${e.image ? `<enclosure url="${e.image}" type="image/png" length="1"/>` : ""}</item>`);
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Test blog</title><link>https://blog.example/</link><description>d</description>${extra}${items.join("")}</channel></rss>`;
}

/** An Atom 1.0 document. */
export function atom(entries: TestEntry[]): string {
  const items = entries.map((e) => `<entry><title>${esc(e.title)}</title><id>${esc(e.id ?? e.link ?? e.title)}</id>${e.link ? `<link href="${e.link}"/>` : ""}<updated>${e.date ?? "2025-01-01T00:00:00Z"}</updated>${e.html ? `<summary type="html">${esc(e.html)}</summary>` : ""}</entry>`);
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Test photos</title><id>urn:test</id><updated>2025-01-01T00:00:00Z</updated>${items.join("")}</feed>`;
}

/** A JSON Feed 1.1 document. */
export function jsonFeed(entries: TestEntry[]): string {
  return JSON.stringify({
    version: "https://jsonfeed.org/version/1.1", title: "Test code",
    items: entries.map((e) => ({ id: e.id ?? e.link, url: e.link, title: e.title, content_html: e.html ?? "", date_published: e.date })),
  });
}

export const xml = (body: string, headers: Record<string, string> = {}) => new Response(body, { headers: { "content-type": "application/rss+xml", ...headers } });
