/**
 * /moderation/members: moderators (when the operator allows it) and the operator suspend and
 * reinstate members. Moderators see plain members only; the operator's own account never appears.
 */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { listAllMembers } from "../../domain/members/directory.ts";
import { reinstateMember, suspendMember } from "../../domain/members/moderation.ts";
import { moderatorsMaySuspend } from "../../domain/moderation/suspensionPolicy.ts";
import { ModerationMembersPage } from "../../../views/pages/moderationMembers.tsx";
import type { WebEnv } from "../env.ts";
import { readForm } from "../forms.ts";
import { pageContext, refusalState, render } from "../render.tsx";
import { requireMember } from "../session.ts";
import { requireModerator } from "./moderation.tsx";

const NOTICES: Record<string, string> = { suspend: "The member is suspended.", reinstate: "The member is reinstated." };

async function page(c: Context<WebEnv>, extra: { error?: string | null } = {}, status: ContentfulStatusCode = 200) {
  const operator = c.var.viewer!.role === "operator";
  const members = (await listAllMembers(c.var.deps.db)).filter((m) => m.role === "member" || (operator && m.role === "moderator"));
  return render(c, <ModerationMembersPage page={await pageContext(c)} members={members} notice={NOTICES[c.req.query("notice") ?? ""]} error={extra.error} />, status);
}

export function moderationMemberRoutes() {
  const app = new Hono<WebEnv>();
  app.use("*", requireMember, requireModerator, async (c, next) => {
    if (c.var.viewer!.role !== "operator" && !(await moderatorsMaySuspend(c.var.deps.db))) {
      return c.text("The operator has turned off suspensions by moderators.", 403);
    }
    await next();
  });

  app.get("/", (c) => page(c));

  for (const verb of ["suspend", "reinstate"] as const) {
    app.post(`/:id{[0-9]+}/${verb}`, async (c) => {
      const id = Number(c.req.param("id"));
      const note = (await readForm(c)).text("note");
      try {
        await (verb === "suspend" ? suspendMember : reinstateMember)(c.var.deps.db, id, c.var.viewer!, note);
      } catch (error) {
        const { state, status } = refusalState(error);
        return page(c, { error: state.error }, status);
      }
      c.var.deps.log.info(`moderation: member ${verb}`, { requestId: c.var.requestId, accountId: id, by: c.var.viewer!.id });
      return c.redirect(`/moderation/members?notice=${verb}`, 303);
    });
  }
  return app;
}
