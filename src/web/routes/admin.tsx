/** The operator's pages: camp settings, invites, and each member's note, role, reset link and suspension. */
import { type Context, Hono } from "hono";
import { getCamp, updateCampSettings } from "../../domain/camp/settings.ts";
import { createInvite, listInvites, revokeInvite } from "../../domain/members/invites.ts";
import { findMemberById, listAllMembers } from "../../domain/members/directory.ts";
import { checklistsFor } from "../../domain/members/checklist.ts";
import { createResetToken } from "../../domain/members/passwordResets.ts";
import { reinstateMember, setModerator, setOperatorNote, suspendMember } from "../../domain/members/moderation.ts";
import { now } from "../../domain/clock.ts";
import { Refusal } from "../../domain/errors.ts";
import { CampSettingsPage, InvitesPage, MemberAdminPage, MembersAdminPage } from "../../../views/pages/admin.tsx";
import type { WebEnv } from "../env.ts";
import { type Form, readForm } from "../forms.ts";
import { inviteUrl, resetUrl } from "../../urls.ts";
import { pageContext, refusalState, render } from "../render.tsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { FormState } from "../../../views/pages/auth.tsx";
import { requireMember, requireOperator } from "../session.ts";
import { RateLimiter } from "../rateLimit.ts";
import type { Db } from "../../db/open.ts";

const NOTICES: Record<string, string> = {
  welcome: "Welcome! You are the operator. Name your camp, then invite your first friend.",
  saved: "Saved.",
};

async function memberRow(db: Db, id: number) {
  const member = await findMemberById(db, id);
  if (!member) return null;
  const checklist = (await checklistsFor(db)).get(id)!;
  return { ...member, checklist };
}

export function adminRoutes() {
  const app = new Hono<WebEnv>();
  // Invites are cheap to make by mistake in a loop; a camp of a hundred never needs more than this.
  const invitesPerHour = new RateLimiter("invites-per-operator", 30, 60 * 60 * 1000);
  app.use("*", requireMember, requireOperator);

  app.get("/", async (c) => {
    const camp = await getCamp(c.var.deps.db);
    const values = { name: camp.name, description: camp.description, rules: camp.rules, about: camp.about, supportUrl: camp.support_url ?? "" };
    return render(c, <CampSettingsPage page={await pageContext(c)} values={values} state={{}} notice={NOTICES[c.req.query("notice") ?? ""]} />);
  });

  app.post("/", async (c) => {
    const form = await readForm(c);
    const values = { name: form.text("name"), description: form.text("description"), rules: form.text("rules"), about: form.text("about"), supportUrl: form.text("supportUrl") };
    try {
      await updateCampSettings(c.var.deps.db, values);
      return c.redirect("/admin?notice=saved", 303);
    } catch (error) {
      const { state, status } = refusalState(error);
      return render(c, <CampSettingsPage page={await pageContext(c)} values={values} state={state} />, status);
    }
  });

  const invitesPage = async (c: Context<WebEnv>, extra: { newLink?: string; state?: FormState }, status: ContentfulStatusCode = 200) =>
    render(c, <InvitesPage page={await pageContext(c)} invites={await listInvites(c.var.deps.db)} newLink={extra.newLink} state={extra.state ?? {}} now={now()} />, status);

  app.get("/invites", (c) => invitesPage(c, {}));

  app.post("/invites", async (c) => {
    const form = await readForm(c);
    const values = { note: form.text("note"), days: form.text("days") };
    if (!(await invitesPerHour.hit(c.var.deps.db, String(c.var.viewer!.id)))) {
      return invitesPage(c, { state: { error: "That is a lot of invites in one hour. Wait a while before making more.", values } }, 429);
    }
    try {
      const invite = await createInvite(c.var.deps.db, { note: values.note, days: Number(values.days), createdBy: c.var.viewer!.id });
      c.var.deps.log.info("invite: created", { requestId: c.var.requestId, inviteId: invite.id });
      return invitesPage(c, { newLink: inviteUrl(c.var.deps.config.origin, invite.token) }, 201);
    } catch (error) {
      const { state, status } = refusalState(error, values);
      return invitesPage(c, { state }, status);
    }
  });

  app.post("/invites/:id/revoke", async (c) => {
    await revokeInvite(c.var.deps.db, Number(c.req.param("id")));
    return c.redirect("/admin/invites", 303);
  });

  app.get("/members", async (c) => {
    const db = c.var.deps.db;
    const checklists = await checklistsFor(db);
    const members = (await listAllMembers(db)).map((m) => ({ ...m, checklist: checklists.get(m.id)! }));
    return render(c, <MembersAdminPage page={await pageContext(c)} members={members} />);
  });

  app.get("/members/:id{[0-9]+}", async (c) => {
    const member = await memberRow(c.var.deps.db, Number(c.req.param("id")));
    if (!member) return c.notFound();
    return render(c, <MemberAdminPage page={await pageContext(c)} member={member} notice={NOTICES[c.req.query("notice") ?? ""]} state={{}} />);
  });

  /** Runs one action on a member and comes back to their page, or shows why it was refused. */
  const memberAction = (path: string, action: (c: Context<WebEnv>, id: number, form: Form) => Promise<string | void>) =>
    app.post(`/members/:id{[0-9]+}/${path}`, async (c) => {
      const id = Number(c.req.param("id"));
      const form = await readForm(c);
      try {
        const resetLink = await action(c, id, form);
        c.var.deps.log.info(`admin: ${path}`, { requestId: c.var.requestId, accountId: id });
        if (!resetLink) return c.redirect(`/admin/members/${id}?notice=saved`, 303);
        const member = (await memberRow(c.var.deps.db, id))!;
        return render(c, <MemberAdminPage page={await pageContext(c)} member={member} resetLink={resetLink} state={{}} />);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        const member = await memberRow(c.var.deps.db, id);
        if (!member) return c.notFound();
        const { state, status } = refusalState(error, { note: form.text("note") });
        return render(c, <MemberAdminPage page={await pageContext(c)} member={member} state={state} />, status);
      }
    });

  memberAction("note", (c, id, form) => setOperatorNote(c.var.deps.db, id, form.text("note")));
  memberAction("role/moderator", (c, id) => setModerator(c.var.deps.db, id, true, c.var.viewer!));
  memberAction("role/member", (c, id) => setModerator(c.var.deps.db, id, false, c.var.viewer!));
  memberAction("suspend", (c, id) => suspendMember(c.var.deps.db, id, c.var.viewer!));
  memberAction("reinstate", (c, id) => reinstateMember(c.var.deps.db, id, c.var.viewer!));
  memberAction("reset-link", async (c, id) => {
    const member = await findMemberById(c.var.deps.db, id);
    if (!member) throw new Refusal("not_found", "There is no such member.");
    return resetUrl(c.var.deps.config.origin, await createResetToken(c.var.deps.db, member.handle));
  });

  return app;
}
