/** The front page: a welcome for visitors; members see the camp. */
import { Hono } from "hono";
import { getCamp } from "../../domain/camp/settings.ts";
import { WelcomePage } from "../../../views/pages/members.tsx";
import type { WebEnv } from "../env.ts";
import { pageContext, render } from "../render.tsx";

export function frontRoutes() {
  const app = new Hono<WebEnv>();
  app.get("/", async (c) => {
    const camp = await getCamp(c.var.deps.db);
    return render(c, <WelcomePage page={await pageContext(c)} description={camp.description} />);
  });
  return app;
}
