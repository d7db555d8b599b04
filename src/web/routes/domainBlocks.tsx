/** The member's blocked domains in Settings: see them, block one, lift a block. */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { blockDomain, blockedDomainsOf, unblockDomain } from "../../domain/domainBlocks/domainBlocks.ts";
import { DomainBlocksPage } from "../../../views/pages/domainBlocks.tsx";
import type { FormState } from "../../../views/pages/auth.tsx";
import type { WebEnv } from "../env.ts";
import { readForm } from "../forms.ts";
import { pageContext, refusalState, render } from "../render.tsx";
import { requireMember } from "../session.ts";

const NOTICES: Record<string, string> = { blocked: "The domain is blocked.", unblocked: "The domain is no longer blocked." };

export function domainBlockRoutes() {
  const app = new Hono<WebEnv>();

  const page = async (c: Context<WebEnv>, state: FormState, status: ContentfulStatusCode = 200) =>
    render(c, <DomainBlocksPage page={await pageContext(c)} domains={await blockedDomainsOf(c.var.deps.db, c.var.viewer!.id)}
      localDomain={c.var.deps.config.domain} state={state} notice={NOTICES[c.req.query("notice") ?? ""]} />, status);

  app.get("/settings/domain-blocks", requireMember, (c) => page(c, {}));

  app.post("/settings/domain-blocks", requireMember, async (c) => {
    const domain = (await readForm(c)).text("domain");
    try {
      const blocked = await blockDomain(c.var.deps.db, c.var.viewer!.id, domain, c.var.deps.config.domain);
      c.var.deps.log.info("domain block: added", { requestId: c.var.requestId, domain: blocked });
      return c.redirect("/settings/domain-blocks?notice=blocked", 303);
    } catch (error) {
      const { state, status } = refusalState(error, { domain });
      c.var.deps.log.info("domain block: refused", { requestId: c.var.requestId, reason: state.error });
      return page(c, state, status);
    }
  });

  app.post("/settings/domain-blocks/unblock", requireMember, async (c) => {
    await unblockDomain(c.var.deps.db, c.var.viewer!.id, (await readForm(c)).text("domain"));
    return c.redirect("/settings/domain-blocks?notice=unblocked", 303);
  });

  return app;
}
