/** Rendering pages: the layout's context for this request, and status codes for refusals. */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { JSX } from "hono/jsx/jsx-runtime";
import { getCamp } from "../domain/camp/settings.ts";
import { Refusal, type RefusalKind } from "../domain/errors.ts";
import { unreadCount } from "../domain/notifications/inbox.ts";
import { mayModerate } from "../domain/reports/moderators.ts";
import { feedLinksFor } from "../domain/feeds/publish.ts";
import { openReportCount } from "../domain/reports/queue.ts";
import type { PageContext } from "../../views/context.ts";
import type { FormState } from "../../views/pages/auth.tsx";
import type { WebEnv } from "./env.ts";

export async function pageContext(c: Context<WebEnv>): Promise<PageContext> {
  const camp = await getCamp(c.var.deps.db);
  // Problem pages may be drawn before the session and CSRF middleware have run.
  const viewer = c.var.viewer ?? null;
  return {
    campName: camp.name,
    csrf: c.var.csrfToken ?? "",
    viewer: viewer && { id: viewer.id, handle: viewer.handle, displayName: viewer.display_name, role: viewer.role },
    path: c.req.path,
    unread: viewer ? await unreadCount(c.var.deps.db, viewer.id) : 0,
    openReports: mayModerate(viewer?.role) ? await openReportCount(c.var.deps.db) : 0,
    feeds: c.req.method === "GET" ? await feedLinksFor(c.var.deps.db, c.req.path) : [],
  };
}

/** Sends a full page with its doctype, so browsers render in standards mode. */
export async function render(c: Context<WebEnv>, page: JSX.Element, status: ContentfulStatusCode = 200) {
  return c.html(`<!doctype html>${await page.toString()}`, status);
}

const STATUS: Record<RefusalKind, ContentfulStatusCode> = {
  invalid: 422,
  conflict: 409,
  not_found: 404,
  forbidden: 403,
  gone: 410,
  too_many: 429,
  too_large: 413,
};

export const statusOf = (refusal: Refusal): ContentfulStatusCode => STATUS[refusal.kind];

/** Turns a refusal into form state for re-rendering; anything else is a real fault and is rethrown. */
export function refusalState(error: unknown, values?: Record<string, string>): { state: FormState; status: ContentfulStatusCode } {
  if (!(error instanceof Refusal)) throw error;
  return { state: { error: error.message, field: error.field, values }, status: statusOf(error) };
}
