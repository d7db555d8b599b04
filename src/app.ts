/** Builds the Hono app: request logging, security headers, CSRF, sessions, and every route module. */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { randomUUID } from "node:crypto";
import type { Deps, WebEnv } from "./web/env.ts";
import { csrfProtection } from "./web/csrf.ts";
import { loggablePath } from "./web/loggablePath.ts";
import { loadViewer } from "./web/session.ts";
import { PageCache } from "./web/pageCache.ts";
import { authRoutes } from "./web/routes/auth.tsx";
import { adminRoutes } from "./web/routes/admin.tsx";
import { memberRoutes } from "./web/routes/members.tsx";
import { staticRoutes } from "./web/routes/static.ts";
import { healthRoutes, readinessRoutes } from "./web/routes/health.ts";
import { frontRoutes } from "./web/routes/front.tsx";
import { problemPages, problemResponse } from "./web/routes/problems.tsx";
import { postRoutes } from "./web/routes/posts.tsx";
import { streamRoutes } from "./web/routes/streams.tsx";
import { notificationRoutes } from "./web/routes/notifications.tsx";
import { followRoutes } from "./web/routes/follows.tsx";
import { filterRoutes } from "./web/routes/filters.tsx";
import { federationRoutes } from "./federation/routes/index.ts";
import { remoteRoutes } from "./web/routes/remote.tsx";
import { federationAdminRoutes } from "./web/routes/federation_admin.tsx";
import { moderationRoutes } from "./web/routes/moderation.tsx";
import { moderationMemberRoutes } from "./web/routes/moderation_members.tsx";
import { moderationAdminRoutes } from "./web/routes/moderation_admin.tsx";
import { statusAdminRoutes } from "./web/routes/status_admin.tsx";
import { feedRoutes } from "./web/routes/feeds.tsx";
import { publicFeedRoutes } from "./web/routes/publicFeeds.ts";
import { webhookRoutes } from "./web/routes/webhooks.tsx";
import { bookmarkRoutes } from "./web/routes/bookmarks.tsx";
import { searchRoutes } from "./web/routes/search.tsx";
import { pollRoutes } from "./web/routes/polls.tsx";
import { listRoutes } from "./web/routes/lists.tsx";
import { tagRoutes } from "./web/routes/tags.tsx";
import { leavingRoutes } from "./web/routes/leaving.tsx";
import { exportRoutes } from "./web/routes/exports.tsx";
import { importRoutes } from "./web/routes/imports.tsx";
import { movingRoutes } from "./web/routes/moving.tsx";
import { domainBlockRoutes } from "./web/routes/domainBlocks.tsx";
import { liveRoutes } from "./web/routes/live.tsx";
import { apiRoutes } from "./web/api/index.ts";
import { oauthConsentRoutes } from "./web/routes/oauthConsent.tsx";

/** Largest request body we read: four 8 MB images and the form around them. */
export const MAX_BODY_BYTES = 36 * 1024 * 1024;

const SECURITY_HEADERS = { "x-content-type-options": "nosniff", "referrer-policy": "same-origin", "x-frame-options": "DENY" };

/**
 * Adds headers to a finished response in place: Hono's c.header would copy the whole response once
 * per header. A response with immutable headers (one passed on from fetch) goes through c.header.
 */
function setFinishedHeaders(res: Response, headers: Record<string, string>, viaHono: (name: string, value: string) => void) {
  try {
    for (const [name, value] of Object.entries(headers)) res.headers.set(name, value);
  } catch {
    for (const [name, value] of Object.entries(headers)) viaHono(name, value);
  }
}

/**
 * Platform health checks arrive every few seconds: they stay out of the info log while they pass.
 * A 503 from /readyz is the operator's to-do list (a stale backup, an overdue queue), not a server
 * fault, so it is a warning; a dead database (/healthz 503) or any other 5xx is an error.
 */
function requestLogLevel(path: string, status: number): "debug" | "info" | "warn" | "error" {
  if (path === "/readyz") return status === 200 ? "debug" : "warn";
  if (status >= 500) return "error";
  return path === "/healthz" ? "debug" : "info";
}

export function createApp(deps: Deps) {
  const app = new Hono<WebEnv>();
  const pageCache = new PageCache();

  app.use("*", async (c, next) => {
    const started = performance.now();
    c.set("deps", deps);
    c.set("pageCache", pageCache);
    c.set("requestId", c.req.header("x-request-id")?.slice(0, 64) || randomUUID());
    await next();
    setFinishedHeaders(c.res, { "x-request-id": c.var.requestId, ...SECURITY_HEADERS }, (name, value) => c.header(name, value));
    deps.log[requestLogLevel(c.req.path, c.res.status)]("request", {
      requestId: c.var.requestId,
      method: c.req.method,
      path: loggablePath(c.req.path),
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...(c.var.pageFromCache ? { cached: true } : {}),
    });
  });
  app.use("*", bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => problemResponse(c, 413, "Upload too large", `The upload is too large; the limit is ${MAX_BODY_BYTES / 1024 / 1024} MB in all. Choose smaller images and try again.`),
  }));

  app.route("/static", staticRoutes());
  app.route("/healthz", healthRoutes());
  app.route("/readyz", readinessRoutes());
  // Inboxes are authenticated by HTTP signatures, not cookies, so federation comes before CSRF.
  app.route("/", federationRoutes());
  // Apps authenticate with bearer tokens, not cookies, so the client API comes before CSRF too.
  app.route("/", apiRoutes());
  app.use("*", csrfProtection, loadViewer);
  app.route("/", authRoutes());
  app.route("/admin/federation", federationAdminRoutes());
  app.route("/admin/moderation", moderationAdminRoutes());
  app.route("/admin/status", statusAdminRoutes());
  app.route("/admin", adminRoutes());
  app.route("/", memberRoutes());
  app.route("/", postRoutes());
  app.route("/", streamRoutes());
  app.route("/", notificationRoutes());
  app.route("/", followRoutes());
  app.route("/", remoteRoutes());
  app.route("/", filterRoutes());
  app.route("/", moderationRoutes());
  app.route("/moderation/members", moderationMemberRoutes());
  app.route("/", feedRoutes());
  app.route("/", publicFeedRoutes());
  app.route("/", webhookRoutes());
  app.route("/", bookmarkRoutes());
  app.route("/", searchRoutes());
  app.route("/", pollRoutes());
  app.route("/", listRoutes());
  app.route("/", tagRoutes());
  app.route("/", leavingRoutes());
  app.route("/", exportRoutes());
  app.route("/", importRoutes());
  app.route("/", movingRoutes());
  app.route("/", domainBlockRoutes());
  app.route("/", liveRoutes());
  app.route("/", oauthConsentRoutes());
  app.route("/", frontRoutes());
  problemPages(app);
  return app;
}

export type App = ReturnType<typeof createApp>;
