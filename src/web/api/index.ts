/**
 * The Mastodon client API, so members can use the apps they already like. Mounted before the CSRF
 * middleware (apps authenticate with bearer tokens, not cookies; a cross-site form cannot send a
 * bearer token), with CORS as Mastodon sends it so browser-based apps work from their own origin.
 * The consent page itself is a normal page behind the session and CSRF (routes/oauthConsent.tsx).
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import { loggablePath } from "../loggablePath.ts";
import { accountsApi } from "./accounts.ts";
import { appsApi } from "./apps.ts";
import { avatarsApi } from "./avatars.ts";
import { conversationsApi } from "./conversations.ts";
import { loadToken } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { apiError } from "./errors.ts";
import { savedApi } from "./saved.ts";
import { filtersApi } from "./filters.ts";
import { domainBlocksApi } from "./domainBlocks.ts";
import { followRequestsApi } from "./followRequests.ts";
import { instanceApi } from "./instance.ts";
import { markersApi } from "./markers.ts";
import { mediaApi } from "./media.ts";
import { notificationsApi } from "./notifications.ts";
import { listsApi } from "./lists.ts";
import { oauthApi } from "./oauth.ts";
import { pollsApi } from "./polls.ts";
import { searchApi } from "./search.ts";
import { statusesApi } from "./statuses.ts";
import { streamingApi } from "./streaming.ts";
import { tagsApi } from "./tags.ts";
import { timelinesApi } from "./timelines.ts";

const API_PATHS = ["/api/*", "/oauth/token", "/oauth/revoke", "/.well-known/oauth-authorization-server"];

export function apiRoutes() {
  const app = new Hono<ApiEnv>();
  for (const path of API_PATHS) {
    app.use(path, cors({
      origin: "*",
      allowMethods: ["POST", "PUT", "DELETE", "GET", "PATCH", "OPTIONS"],
      exposeHeaders: ["Link", "X-RateLimit-Reset", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-Request-Id", "Idempotency-Key"],
      maxAge: 7200,
    }));
    app.use(path, loadToken);
  }

  for (const part of [avatarsApi, appsApi, oauthApi, instanceApi, accountsApi, statusesApi, timelinesApi, notificationsApi, mediaApi, markersApi, filtersApi, followRequestsApi, savedApi, pollsApi, listsApi, searchApi, streamingApi, tagsApi, conversationsApi, domainBlocksApi]) {
    app.route("/", part());
  }
  app.all("/api/*", (c) => {
    c.var.deps.log.info("api: no such endpoint", { requestId: c.var.requestId, method: c.req.method, path: loggablePath(c.req.path) });
    return apiError(c, 404, "Record not found");
  });
  app.onError((error, c) => {
    c.var.deps.log.error("api: request failed", { requestId: c.var.requestId, path: loggablePath(c.req.path), error: String(error), stack: (error as Error).stack });
    return apiError(c, 500, `Something went wrong on the camp's side; the operator can find request ${c.var.requestId} in the log.`);
  });
  return app;
}
