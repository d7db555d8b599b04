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
    {
      name: "WebFinger GET /.well-known/webfinger",
      path: `/.well-known/webfinger?resource=${encodeURIComponent(`acct:${meta.profileHandle}@${host}`)}`,
      headers: { accept: "application/jrd+json" },
      mustContain: '"self"',
    },
  ];
}
