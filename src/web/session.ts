/** Session cookies: HttpOnly, SameSite=Lax, Secure when the camp is served over https. */
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { endSession, sessionMember, startSession } from "../domain/members/sessions.ts";
import { contentVersion } from "../db/contentVersion.ts";
import type { WebEnv } from "./env.ts";

export const SESSION_COOKIE = "kith_session";

/**
 * Loads the member behind the session cookie, if any, for every later handler. The database's stamp
 * it reads first is kept for the request: the page cache compares kept pages against the same one.
 */
export const loadViewer: MiddlewareHandler<WebEnv> = async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE) ?? null;
  if (token) c.set("dbVersion", await contentVersion(c.var.deps.db));
  const viewer = token ? ((await sessionMember(c.var.deps.db, token, c.var.dbVersion!)) ?? null) : null;
  c.set("sessionToken", viewer ? token : null);
  c.set("viewer", viewer);
  if (token && !viewer) deleteCookie(c, SESSION_COOKIE, { path: "/" });
  await next();
};

export async function logIn(c: Context<WebEnv>, accountId: number): Promise<void> {
  const old = c.var.sessionToken;
  if (old) await endSession(c.var.deps.db, old);
  const { token, expiresAt } = await startSession(c.var.deps.db, accountId);
  setCookie(c, SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: c.var.deps.config.secure,
    expires: new Date(expiresAt),
  });
}

export async function logOut(c: Context<WebEnv>): Promise<void> {
  const token = c.var.sessionToken;
  if (token) await endSession(c.var.deps.db, token);
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: c.var.deps.config.secure });
}

/** Lets only logged-in members through; others go to the login page and come back after. */
export const requireMember: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (!c.var.viewer) {
    const url = new URL(c.req.url);
    return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
  }
  await next();
};

export const requireOperator: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (c.var.viewer?.role !== "operator") return c.text("Only the camp's operator can open this page.", 403);
  await next();
};
