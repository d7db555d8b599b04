/** The operator's federation settings: mode, authorized fetch and domain rules (reports are on /moderation/reports). */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { WebEnv } from "../env.ts";
import { getCamp } from "../../domain/camp/settings.ts";
import { listDomainRules, removeDomainRule, setDomainRule, setFederationSettings } from "../../domain/remote/federationPolicy.ts";
import { FederationAdminPage } from "../../../views/pages/federationAdmin.tsx";
import { readForm } from "../forms.ts";
import { pageContext, refusalState, render } from "../render.tsx";
import { requireMember, requireOperator } from "../session.ts";

const NOTICES: Record<string, string> = { saved: "Saved.", rule: "The domain rule is in place.", removed: "The rule is removed." };

async function page(c: Context<WebEnv>, extra: { error?: string | null } = {}, status: ContentfulStatusCode = 200) {
  const db = c.var.deps.db;
  const camp = await getCamp(db);
  return render(c, <FederationAdminPage page={await pageContext(c)} mode={camp.federation_mode} authorizedFetch={camp.authorized_fetch === 1}
    rules={await listDomainRules(db)} error={extra.error} notice={NOTICES[c.req.query("notice") ?? ""]} />, status);
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
    await setDomainRule(c.var.deps.db, form.text("domain"), form.text("policy") === "allow" ? "allow" : "block", c.var.viewer!);
  });
  action("/rules/:domain/remove", "removed", (c) => removeDomainRule(c.var.deps.db, decodeURIComponent(c.req.param("domain") ?? ""), c.var.viewer!));

  return app;
}
