/** The front page: a welcome for visitors; members see their Home stream. */
import { Hono } from "hono";
import { getCamp } from "../../domain/camp/settings.ts";
import { WelcomePage } from "../../../views/pages/members.tsx";
import type { WebEnv } from "../env.ts";
import { homePage } from "./streams.tsx";
import { pageContext, render } from "../render.tsx";
import { cachedPage } from "../pageCache.ts";

export function frontRoutes() {
  const app = new Hono<WebEnv>();
  app.get("/", cachedPage, async (c) => {
    if (c.var.viewer) return homePage(c);
    const camp = await getCamp(c.var.deps.db);
    return render(c, <WelcomePage page={await pageContext(c)} description={camp.description} />);
  });
  return app;
}
