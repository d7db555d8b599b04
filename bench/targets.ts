/**
 * The pages the harness measures and how to ask for them, found in the route modules
 * (src/web/routes, src/federation/routes): keep this list in step with them.
 */
import type { DatasetMeta } from "./dataset/generate.ts";
import type { PageTarget } from "./pages.ts";

/** A CSRF cookie of the right length, sent like a browser that has visited before, so the server sets none. */
export const CSRF_TOKEN = "b".repeat(43);

/** The cookies of a logged-in browser. */
export const memberCookie = (sessionToken: string) => `kith_session=${sessionToken}; kith_csrf=${CSRF_TOKEN}`;

/** The trivial route: a static file served from memory before any session or database work. */
export function trivialTarget(): PageTarget {
  return { name: "trivial: GET /static/style.css", path: "/static/style.css", headers: {}, mustContain: "{" };
}

/** How federation peers often connect: a new TCP connection for every request. */
const CLOSE = { connection: "close" };
const TRIVIAL_CLOSE = "trivial: GET /static/style.css, Connection: close";

/**
 * Actor JSON and WebFinger as peers often ask for them, each request on its own connection, beside
 * the trivial route asked the same way (the share they are judged by). At 32 connections only.
 */
export function connectionCloseTargets(meta: DatasetMeta, host: string): PageTarget[] {
  // Found by name: rows added to pageTargets (search, once) must not shift what is asked with close.
  const pages = pageTargets(meta, host);
  const actor = pages.find((page) => page.name.startsWith("actor JSON"));
  const webfinger = pages.find((page) => page.name.startsWith("WebFinger"));
  const closing = (target: PageTarget): PageTarget =>
    ({ ...target, name: `${target.name}, Connection: close`, headers: { ...target.headers, ...CLOSE }, connections: [32], comparedTo: TRIVIAL_CLOSE });
  return [{ ...trivialTarget(), name: TRIVIAL_CLOSE, headers: CLOSE, connections: [32], comparedTo: TRIVIAL_CLOSE }, closing(actor!), closing(webfinger!)];
}

/** The pages of issue 6, as the data set's viewer sees them. */
export function pageTargets(meta: DatasetMeta, host: string): PageTarget[] {
  const browser = { cookie: memberCookie(meta.viewer.sessionToken), accept: "text/html" };
  const activityJson = { accept: "application/activity+json" };
  return [
    { name: "Home stream GET / (logged in)", path: "/", headers: browser, mustContain: 'id="stream"' },
    { name: "Camp stream GET /camp", path: "/camp", headers: browser, mustContain: 'id="stream"' },
    {
      name: "client API GET /api/v1/timelines/home (bearer token)", path: "/api/v1/timelines/home",
      headers: { authorization: `Bearer ${meta.viewer.apiToken}`, accept: "application/json" }, mustContain: '"account":{',
    },
    { name: `thread GET /posts/${meta.thread.id} (${meta.thread.replies} replies)`, path: `/posts/${meta.thread.id}`, headers: browser, mustContain: "<article" },
    { name: `profile GET /@${meta.profileHandle}`, path: `/@${meta.profileHandle}`, headers: browser, mustContain: 'id="stream"' },
    { name: `actor JSON GET /users/${meta.profileHandle}`, path: `/users/${meta.profileHandle}`, headers: activityJson, mustContain: '"inbox"' },
    // A common word (in about a sixth of all posts): the hardest case for ranking.
    { name: "search GET /search?q=garden", path: "/search?q=garden", headers: browser, mustContain: "<mark>garden</mark>" },
    {
      name: "WebFinger GET /.well-known/webfinger",
      path: `/.well-known/webfinger?resource=${encodeURIComponent(`acct:${meta.profileHandle}@${host}`)}`,
      headers: { accept: "application/jrd+json" },
      mustContain: '"self"',
    },
  ];
}

/**
 * The personalized pages asked at a new address every time: the page cache then never answers, so
 * these rows say what a page costs when it is really drawn (as after any write in the camp).
 */
export function drawnTargets(meta: DatasetMeta, host: string): PageTarget[] {
  return pageTargets(meta, host).filter((page) => PERSONALIZED_PAGES.some((name) => page.name.startsWith(name)))
    .map((page) => ({ ...page, name: `${page.name}, drawn (new address each time)`, everyRequestNew: true }));
}

/** The pages issue 15's targets are for. */
export const PERSONALIZED_PAGES = ["Home", "Camp", "thread", "profile"];

/** A vote on a camp poll, as htmx sends it (the answer is the poll box); each vote replaces the last. */
export function pollVoteTarget(meta: DatasetMeta, pollId: number): PageTarget {
  return {
    name: `poll vote POST /posts/${pollId}/vote (htmx)`,
    path: `/posts/${pollId}/vote`,
    headers: { cookie: memberCookie(meta.viewer.sessionToken), "hx-request": "true" },
    mustContain: 'class="poll"',
    post: { body: `_csrf=${CSRF_TOKEN}&choice=1&next=%2F` },
  };
}
