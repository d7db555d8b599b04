/** /admin/moderation: the operator's switch for moderators' suspensions, and the audit log. */
import { Hono } from "hono";
import { recentActions } from "../../domain/moderation/auditLog.ts";
import { moderatorsMaySuspend, setModeratorsMaySuspend } from "../../domain/moderation/suspensionPolicy.ts";
import { ModerationAdminPage } from "../../../views/pages/moderationAdmin.tsx";
import type { WebEnv } from "../env.ts";
import { readForm } from "../forms.ts";
import { pageContext, render } from "../render.tsx";
import { requireMember, requireOperator } from "../session.ts";

export function moderationAdminRoutes() {
  const app = new Hono<WebEnv>();
  app.use("*", requireMember, requireOperator);

  app.get("/", async (c) => {
    const db = c.var.deps.db;
    return render(c, <ModerationAdminPage page={await pageContext(c)} moderatorsMaySuspend={await moderatorsMaySuspend(db)}
      entries={await recentActions(db)} notice={c.req.query("notice") === "saved" ? "Saved." : null} />);
  });

  app.post("/settings", async (c) => {
    const allowed = (await readForm(c)).text("moderatorsMaySuspend") === "1";
    await setModeratorsMaySuspend(c.var.deps.db, allowed);
    c.var.deps.log.info("admin: moderators may suspend", { requestId: c.var.requestId, allowed });
    return c.redirect("/admin/moderation?notice=saved", 303);
  });
  return app;
}
