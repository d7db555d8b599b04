/** The operator's federation settings: mode, authorized fetch, domain rules and the report queue. */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { WebEnv } from "../env.ts";
import { getCamp } from "../../domain/camp/settings.ts";
import { listDomainRules, openReports, removeDomainRule, resolveReport, setDomainRule, setFederationSettings } from "../../domain/remote/federationPolicy.ts";
import { FederationAdminPage } from "../../../views/pages/federationAdmin.tsx";
import { readForm } from "../forms.ts";
import { pageContext, refusalState, render } from "../render.tsx";
import { requireMember, requireOperator } from "../session.ts";

const NOTICES: Record<string, string> = { saved: "Saved.", rule: "The domain rule is in place.", removed: "The rule is removed.", resolved: "The report is resolved." };

const who = (handle: string | null, domain: string | null) => (handle ? `@${handle}${domain ? `@${domain}` : ""}` : "someone");

async function page(c: Context<WebEnv>, extra: { error?: string | null } = {}, status: ContentfulStatusCode = 200) {
  const db = c.var.deps.db;
  const camp = await getCamp(db);
  const reports = (await openReports(db)).map((r) => ({
    id: r.id, comment: r.comment, postCount: (JSON.parse(r.post_ids) as number[]).length, createdAt: r.created_at,
    reporter: who(r.reporter_handle, r.reporter_domain), target: r.target_handle ? who(r.target_handle, r.target_domain) : null,
  }));
  return render(c, <FederationAdminPage page={await pageContext(c)} mode={camp.federation_mode} authorizedFetch={camp.authorized_fetch === 1}
    rules={await listDomainRules(db)} reports={reports} error={extra.error} notice={NOTICES[c.req.query("notice") ?? ""]} />, status);
}

export function federationAdminRoutes() {
  const app = new Hono<WebEnv>();
  app.use("*", requireMember, requireOperator);

  app.get("/", (c) => page(c));

  /** Runs an operator action, logs it, and comes back to the page with a notice or the refusal. */
  const action = (path: string, notice: string, run: (c: Context<WebEnv>) => Promise<unknown>) =>
    app.post(path, async (c) => {
      try {
        await run(c);
      } catch (error) {
        const { state, status } = refusalState(error);
        return page(c, { error: state.error }, status);
      }
      c.var.deps.log.info(`admin: federation ${notice}`, { requestId: c.var.requestId, path: c.req.path });
      return c.redirect(`/admin/federation?notice=${notice}`, 303);
    });

  action("/settings", "saved", async (c) => {
    const form = await readForm(c);
    await setFederationSettings(c.var.deps.db, { mode: form.text("mode"), authorizedFetch: form.text("authorizedFetch") === "1" });
  });
  action("/rules", "rule", async (c) => {
    const form = await readForm(c);
    await setDomainRule(c.var.deps.db, form.text("domain"), form.text("policy") === "allow" ? "allow" : "block");
  });
  action("/rules/:domain/remove", "removed", (c) => removeDomainRule(c.var.deps.db, decodeURIComponent(c.req.param("domain") ?? "")));
  action("/reports/:id{[0-9]+}/resolve", "resolved", (c) => resolveReport(c.var.deps.db, Number(c.req.param("id"))));

  return app;
}
