/**
 * CSRF protection, double-submit style: every visitor gets a random token in an HttpOnly,
 * SameSite=Lax cookie, every form carries the same token in a hidden `_csrf` field (htmx
 * requests may send it as `X-CSRF-Token`), and a state-changing request is refused unless
 * the two match. A cross-site Origin header is refused as well.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { timingSafeEqual } from "node:crypto";
import { newToken } from "../domain/tokens.ts";
import { ProblemPage } from "../../views/pages/auth.tsx";
import type { WebEnv } from "./env.ts";
import { loggablePath } from "./loggablePath.ts";
import { pageContext, render } from "./render.tsx";

export const CSRF_COOKIE = "kith_csrf";
export const CSRF_FIELD = "_csrf";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export const csrfProtection: MiddlewareHandler<WebEnv> = async (c, next) => {
  let token = getCookie(c, CSRF_COOKIE);
  if (!token || token.length < 32) {
    token = newToken();
    setCookie(c, CSRF_COOKIE, token, { path: "/", httpOnly: true, sameSite: "Lax", secure: c.var.deps.config.secure });
  }
  c.set("csrfToken", token);
  if (SAFE_METHODS.has(c.req.method)) return next();

  const origin = c.req.header("origin");
  if (origin && origin !== "null" && origin !== c.var.deps.config.origin && origin !== new URL(c.req.url).origin) {
    c.var.deps.log.warn("csrf: cross-site origin refused", { requestId: c.var.requestId, origin });
    return refused(c, "This form was sent from another site, so it was refused.");
  }
  const sent = c.req.header("x-csrf-token") ?? (await formField(c));
  if (!sent || !getCookie(c, CSRF_COOKIE) || !same(sent, token)) {
    c.var.deps.log.warn("csrf: missing or wrong token", { requestId: c.var.requestId, path: loggablePath(c.req.path) });
    return refused(c, "This form has expired or did not come from this site. Go back, reload the page and try again.");
  }
  return next();
};

/** A full page, so a person whose form was refused still has the camp's navigation around the message. */
async function refused(c: Context<WebEnv>, message: string) {
  c.set("viewer", null);
  return render(c, ProblemPage({ page: await pageContext(c), title: "Form not accepted", message }), 403);
}

/** Reads the token from the form; Hono keeps the parsed body, so handlers do not parse it again. */
async function formField(c: Context<WebEnv>): Promise<string | null> {
  if (!(c.req.header("content-type") ?? "").includes("form")) return null;
  try {
    const value = (await c.req.parseBody())[CSRF_FIELD];
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}
