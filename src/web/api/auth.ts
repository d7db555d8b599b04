/**
 * Bearer tokens for the client API (RFC 6750): from the Authorization header, or `access_token`
 * in the query for the streaming endpoint (browsers' EventSource cannot set headers). Answers as
 * Mastodon: 401 for a missing, unknown, revoked or expired token, 403 for a token without the scope,
 * 422 when a method needs a member but the token is the app's own. Every request is counted, per
 * token or (without a valid one) per address, and answered with Mastodon's X-RateLimit-* headers.
 */
import type { Context, MiddlewareHandler } from "hono";
import { holdsScope } from "../../domain/oauth/scopes.ts";
import { tokenHolder } from "../../domain/oauth/tokens.ts";
import { CountingRateLimiter, RateLimiter } from "../rateLimit.ts";
import type { ApiEnv } from "./env.ts";
import { apiError } from "./errors.ts";

const FIVE_MINUTES = 5 * 60 * 1000;
/** Mastodon's default is 300 requests per 5 minutes for each token (or address without one); see KITH_API_RATE_LIMIT. */
const limiters = new Map<number, CountingRateLimiter>();
const apiRateLimiter = (limit: number) => {
  let limiter = limiters.get(limit);
  if (!limiter) limiters.set(limit, limiter = new CountingRateLimiter(new RateLimiter("api", limit, FIVE_MINUTES)));
  return limiter;
};

/**
 * The token the request presents. A WebSocket cannot set headers either; Mastodon's streaming takes
 * the token as its subprotocol (Sec-WebSocket-Protocol), as masto sends it.
 */
export function presentedToken(c: Context<ApiEnv>): string | null {
  const header = c.req.header("authorization");
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  const subprotocol = c.req.path.startsWith("/api/v1/streaming") ? c.req.header("sec-websocket-protocol")?.split(",")[0]?.trim() : undefined;
  return match?.[1] ?? c.req.query("access_token") ?? (subprotocol || null);
}

/**
 * Loads the token's holder for every API request. A token that is not valid counts as none, as on
 * Mastodon: public methods (the instance, registering an app) still answer, the others say 401.
 */
export const loadToken: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const { db, config, log } = c.var.deps;
  const token = presentedToken(c);
  const holder = token ? await tokenHolder(db, token) : null;
  c.set("token", holder);
  if (c.req.method === "OPTIONS") return next();
  const key = holder ? `token:${holder.tokenId}` : `ip:${c.env?.ip ?? "unknown"}`;
  const count = await apiRateLimiter(config.apiRateLimit).count(db, key);
  c.header("x-ratelimit-limit", String(count.limit));
  c.header("x-ratelimit-remaining", String(count.remaining));
  c.header("x-ratelimit-reset", new Date(count.resetAt).toISOString());
  if (!count.allowed) {
    log.warn("api: rate limited", { requestId: c.var.requestId, key: holder ? `token ${holder.tokenId}` : "address" });
    return apiError(c, 429, "Too many requests");
  }
  await next();
};

/** Lets through a member's token that holds the scope (a top-level scope covers its sub-scopes). */
export function memberWith(scope: string): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const holder = c.var.token;
    if (!holder) return apiError(c, 401, "The access token is invalid");
    if (!holdsScope(holder.scopes, scope)) return apiError(c, 403, "This action is outside the authorized scopes");
    if (holder.accountId === null) return apiError(c, 422, "This method requires an authenticated user");
    await next();
  };
}

/** The member the token acts for; only after memberWith. */
export const memberOf = (c: Context<ApiEnv>): number => c.var.token!.accountId!;
