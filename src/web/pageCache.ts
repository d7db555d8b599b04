/**
 * A member's pages, kept for a moment after they are drawn and sent again while nothing has changed;
 * and the same for documents anyone may fetch unsigned (actor JSON, WebFinger), which peers ask for often.
 *
 * A drawn page costs 15 to 20 statements and the rendering (BENCHMARKS.md); a page the same reader
 * asked a moment ago, with no write anywhere since, would come out byte for byte the same. So each
 * process keeps the pages it drew, keyed by everything a page is drawn from besides the database:
 * the reader, their CSRF token (it is in every form), the address and the request headers routes
 * read (Accept, HX-Request). A kept page is sent only while the database's stamp (contentVersion)
 * is the one read before it was drawn, so any like, edit, block, mute or suspension, written by any
 * process, makes every kept page stale at once; the stamp is read before drawing, so a write that
 * lands while a page is drawn makes that page stale too. What changes without a write (times said
 * as "5 min", a poll closing) is bounded by FRESH_FOR_MS. The session is checked on every request
 * before this runs (from memory while nothing is written, never past its expiry: sessionMember), so a
 * page never outlives a logout or an expired session.
 */
import type { MiddlewareHandler } from "hono";
import { contentVersion } from "../db/contentVersion.ts";
import { now } from "../domain/clock.ts";
import type { WebEnv } from "./env.ts";

/** How long a kept page may be sent while no write happens: times on it are said to the minute. */
export const FRESH_FOR_MS = 10_000;
/** Characters kept per process, about 150 Home pages; the least recently sent go first. */
const MAX_CHARACTERS = 8_000_000;

interface KeptPage {
  version: string;
  drawnAt: number;
  body: string;
  headers: Record<string, string>;
}

export class PageCache {
  private readonly pages = new Map<string, KeptPage>();
  private characters = 0;

  constructor(private readonly maxCharacters = MAX_CHARACTERS, private readonly freshForMs = FRESH_FOR_MS) {}

  /** The page kept under `key` if it was drawn at `version` less than freshForMs before `at`. */
  get(key: string, version: string, at: number): KeptPage | undefined {
    const kept = this.pages.get(key);
    if (!kept) return undefined;
    this.forget(key, kept);
    // A clock set back (a test's, or the host's) must not make an old page look young.
    if (kept.version !== version || at < kept.drawnAt || at - kept.drawnAt >= this.freshForMs) return undefined;
    this.keep(key, kept);
    return kept;
  }

  put(key: string, page: KeptPage): void {
    const old = this.pages.get(key);
    if (old) this.forget(key, old);
    if (page.body.length > this.maxCharacters) return;
    this.keep(key, page);
    for (const [oldest, kept] of this.pages) {
      if (this.characters <= this.maxCharacters) break;
      this.forget(oldest, kept);
    }
  }

  get size(): number {
    return this.pages.size;
  }

  /** Map order is insertion order, so re-inserting on each use keeps the least recently used first. */
  private keep(key: string, page: KeptPage) {
    this.pages.set(key, page);
    this.characters += page.body.length;
  }

  private forget(key: string, page: KeptPage) {
    this.pages.delete(key);
    this.characters -= page.body.length;
  }
}

type Ctx = Parameters<MiddlewareHandler<WebEnv>>[0];

/**
 * Answers a GET from the cache when `keyOf` names what the answer is drawn from (null: never cached)
 * and the kept answer is still true; otherwise keeps what the route answers, if it is a whole,
 * successful HTML or JSON body that sets no cookie (a refusal or a redirect is drawn each time).
 */
function keptAnswers(keyOf: (c: Ctx) => string | null): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const key = c.req.method === "GET" ? keyOf(c) : null;
    if (key === null) return next();
    // Read before anything the answer is drawn from: by loadViewer for a member, here otherwise.
    const version = c.var.dbVersion ?? (await contentVersion(c.var.deps.db));
    const drawnAt = now();
    const kept = c.var.pageCache.get(key, version, drawnAt);
    if (kept) {
      c.set("pageFromCache", true);
      return c.body(kept.body, 200, kept.headers);
    }
    await next();
    const res = c.res;
    const type = res.headers.get("content-type") ?? "";
    if (res.status !== 200 || !(type.startsWith("text/html") || type.includes("json")) || res.headers.has("set-cookie")) return;
    const body = await res.text();
    c.var.pageCache.put(key, { version, drawnAt, body, headers: Object.fromEntries(res.headers) });
    c.res = new Response(body, res);
  };
}

/**
 * A member's page. Besides the database it is drawn from the reader, their CSRF token (in every
 * form), the address and the request headers routes read; a route that reads another must add it here.
 */
export const cachedPage = keptAnswers((c) => {
  const reader = c.var.viewer;
  return reader ? ["page", reader.id, c.var.csrfToken, c.req.url, c.req.header("accept") ?? "", c.req.header("hx-request") ?? ""].join("\n") : null;
});

/** A document anyone may fetch unsigned (an actor, WebFinger): the same for every asker, so keyed by address and Accept. */
export const cachedPublicDocument = (isPersonal: (c: Ctx) => boolean) =>
  keptAnswers((c) => (isPersonal(c) ? null : ["public", c.req.url, c.req.header("accept") ?? ""].join("\n")));
