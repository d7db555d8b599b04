/** The member's webhooks at /settings/webhooks: add, send a test, remove; the operator may add camp-wide events. */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { addWebhook, CAMP_EVENTS, listWebhooks, MEMBER_EVENTS, removeWebhook } from "../../domain/webhooks/hooks.ts";
import { sendTest } from "../../domain/webhooks/deliver.ts";
import { WebhooksPage } from "../../../views/pages/webhooks.tsx";
import type { FormState } from "../../../views/pages/auth.tsx";
import type { WebEnv } from "../env.ts";
import { readForm } from "../forms.ts";
import { parseId } from "../htmx.ts";
import { RateLimiter } from "../rateLimit.ts";
import { pageContext, refusalState, render } from "../render.tsx";
import { requireMember } from "../session.ts";

const NOTICES: Record<string, string> = {
  added: "The webhook is added. Send it a test to check your receiver.",
  test: "A test is on its way; reload to see how it went.",
  removed: "The webhook is removed.",
};

export function webhookRoutes() {
  const app = new Hono<WebEnv>();
  // A test sends a request to an address of the member's choosing: cheap to abuse, so counted.
  const testsPerMember = new RateLimiter("webhook-tests-per-member", 20, 60 * 60 * 1000);

  const page = async (c: Context<WebEnv>, state: FormState, status: ContentfulStatusCode = 200) => {
    const me = c.var.viewer!;
    const events = { ...MEMBER_EVENTS, ...(me.role === "operator" ? CAMP_EVENTS : {}) };
    return render(c, <WebhooksPage page={await pageContext(c)} hooks={await listWebhooks(c.var.deps.db, me.id)} events={events}
      state={state} notice={NOTICES[c.req.query("notice") ?? ""]} />, status);
  };

  app.get("/settings/webhooks", requireMember, (c) => page(c, {}));

  app.post("/settings/webhooks", requireMember, async (c) => {
    const form = await readForm(c);
    const url = form.text("url");
    // One checkbox per event, named "event:NAME"; unknown names are refused by the domain.
    const events = [...Object.keys(MEMBER_EVENTS), ...Object.keys(CAMP_EVENTS)].filter((e) => form.text(`event:${e}`) === "1");
    try {
      await addWebhook(c.var.deps.db, { id: c.var.viewer!.id, role: c.var.viewer!.role }, { url, events });
      return c.redirect("/settings/webhooks?notice=added", 303);
    } catch (error) {
      const { state, status } = refusalState(error, { url });
      return page(c, state, status);
    }
  });

  app.post("/settings/webhooks/:id/test", requireMember, async (c) => {
    const id = parseId(c.req.param("id"));
    try {
      if (id === null) return c.notFound();
      if (!(await testsPerMember.hit(c.var.deps.db, String(c.var.viewer!.id)))) return page(c, { error: "You sent many tests in the last hour; try again later." }, 429);
      await sendTest(c.var.deps.db, c.var.deps.config.origin, c.var.viewer!.id, id);
      return c.redirect("/settings/webhooks?notice=test", 303);
    } catch (error) {
      const { state, status } = refusalState(error);
      return page(c, state, status);
    }
  });

  app.post("/settings/webhooks/:id/delete", requireMember, async (c) => {
    const id = parseId(c.req.param("id"));
    if (id !== null) await removeWebhook(c.var.deps.db, c.var.viewer!.id, id);
    return c.redirect("/settings/webhooks?notice=removed", 303);
  });
  return app;
}
