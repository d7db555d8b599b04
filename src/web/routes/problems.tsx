/** What a visitor sees when a page does not exist or something broke: a plain page, and a log line. */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ProblemPage } from "../../../views/pages/auth.tsx";
import type { WebEnv } from "../env.ts";
import { loggablePath } from "../loggablePath.ts";
import { pageContext, render } from "../render.tsx";

export function problemPages(app: Hono<WebEnv>) {
  app.notFound(async (c) => {
    if (!c.var.csrfToken) return c.text("Not found", 404);
    return render(c, <ProblemPage page={await pageContext(c)} title="Not found" message="There is nothing at this address." />, 404);
  });
  app.onError((error, c) => {
    c.var.deps?.log.error("request failed", { requestId: c.var.requestId, path: loggablePath(c.req.path), error: String(error), stack: (error as Error).stack });
    return problemResponse(c, 500, "Something went wrong", `Something went wrong on our side. The operator can find request ${c.var.requestId} in the log.`);
  });
}

/**
 * A problem page inside the layout; plain text when even the layout cannot be built
 * (the database may be what failed), so the visitor always gets the message.
 */
export async function problemResponse(c: Context<WebEnv>, status: ContentfulStatusCode, title: string, message: string): Promise<Response> {
  try {
    return await render(c, <ProblemPage page={await pageContext(c)} title={title} message={message} />, status);
  } catch {
    return c.text(message, status);
  }
}
