/** Our own static files, embedded in the binary: the stylesheet and htmx (never from a CDN). */
import { Hono } from "hono";
import styleCss from "../../../static/style.css" with { type: "text" };
import htmxJs from "htmx.org/dist/htmx.min.js" with { type: "text" };
import kithJs from "../../../static/kith.js" with { type: "text" };
import htmxSseJs from "htmx.org/dist/ext/hx-sse.min.js" with { type: "text" };
import type { WebEnv } from "../env.ts";

const FILES: Record<string, { body: string; type: string }> = {
  "style.css": { body: styleCss, type: "text/css; charset=utf-8" },
  "htmx.min.js": { body: htmxJs, type: "text/javascript; charset=utf-8" },
  "kith.js": { body: kithJs, type: "text/javascript; charset=utf-8" },
  // htmx's Server-Sent Events extension, for live updates (src/web/routes/live.tsx).
  "hx-sse.js": { body: htmxSseJs, type: "text/javascript; charset=utf-8" },
};

export function staticRoutes() {
  const app = new Hono<WebEnv>();
  app.get("/:file", (c) => {
    const file = FILES[c.req.param("file")];
    if (!file) return c.notFound();
    return c.body(file.body, 200, { "content-type": file.type, "cache-control": "public, max-age=3600" });
  });
  return app;
}
