/** The member's moving page: aliases (moving in) and moving out to a new account. */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { addAlias, aliasesOf, removeAlias } from "../../domain/moving/aliases.ts";
import { moveAccount } from "../../domain/moving/moveOut.ts";
import { movedToOf } from "../../domain/moving/movedTo.ts";
import { Refusal } from "../../domain/errors.ts";
import { freshAccount } from "../../federation/freshAccount.ts";
import { FetchRefused } from "../../federation/safeFetch.ts";
import { actorUri, movedToPlace } from "../../federation/urls.ts";
import { MovingPage } from "../../../views/pages/moving.tsx";
import type { FormState } from "../../../views/pages/auth.tsx";
import type { WebEnv } from "../env.ts";
import { readForm } from "../forms.ts";
import { RateLimiter } from "../rateLimit.ts";
import { pageContext, refusalState, render } from "../render.tsx";
import { requireMember } from "../session.ts";

const NOTICES: Record<string, string> = {
  alias: "The alias is saved. Now start the move on your old server.",
  removed: "The alias is removed.",
  moved: "You have moved. Your followers are being told.",
};

/** A lookup that failed, as a refusal of the form field. */
const lookupRefusal = (error: unknown, field: string) => (error instanceof FetchRefused ? new Refusal("invalid", error.message, field) : error);

export function movingRoutes() {
  const app = new Hono<WebEnv>();
  // Each attempt fetches from other servers.
  const lookupsPerHour = new RateLimiter("move-lookups-per-member", 30, 60 * 60 * 1000);

  const page = async (c: Context<WebEnv>, states: { alias?: FormState; move?: FormState }, status: ContentfulStatusCode = 200) => {
    const { db, config } = c.var.deps;
    const me = c.var.viewer!;
    return render(c, <MovingPage page={await pageContext(c)} self={`${me.handle}@${config.domain}`} aliases={await aliasesOf(db, me.id)}
      moved={await movedToOf(db, movedToPlace(config.origin, config.domain), me.id)} aliasState={states.alias ?? {}} moveState={states.move ?? {}} notice={NOTICES[c.req.query("notice") ?? ""]} />, status);
  };

  app.get("/settings/moving", requireMember, (c) => page(c, {}));

  app.post("/settings/moving/aliases", requireMember, async (c) => {
    const alias = (await readForm(c)).text("alias");
    if (!(await lookupsPerHour.hit(c.var.deps.db, String(c.var.viewer!.id)))) return page(c, { alias: { error: "That is a lot of lookups in one hour. Wait a while.", values: { alias } } }, 429);
    try {
      const account = await freshAccount(c.var.deps, { address: alias }).catch((error) => Promise.reject(lookupRefusal(error, "alias")));
      await addAlias(c.var.deps.db, c.var.viewer!.id, account.id);
      return c.redirect("/settings/moving?notice=alias", 303);
    } catch (error) {
      const { state, status } = refusalState(error, { alias });
      c.var.deps.log.info("moving: alias refused", { requestId: c.var.requestId, reason: state.error });
      return page(c, { alias: state }, status);
    }
  });

  app.post("/settings/moving/aliases/remove", requireMember, async (c) => {
    await removeAlias(c.var.deps.db, c.var.viewer!.id, c.req.query("uri") ?? "");
    return c.redirect("/settings/moving?notice=removed", 303);
  });

  app.post("/settings/moving/move", requireMember, async (c) => {
    const form = await readForm(c);
    const target = form.text("target");
    const { config, db } = c.var.deps;
    const me = c.var.viewer!;
    if (!(await lookupsPerHour.hit(c.var.deps.db, String(me.id)))) return page(c, { move: { error: "That is a lot of lookups in one hour. Wait a while.", values: { target } } }, 429);
    try {
      const account = await freshAccount(c.var.deps, { address: target }).catch((error) => Promise.reject(lookupRefusal(error, "target")));
      await moveAccount(db, me.id, { uri: actorUri(config.origin, me.handle), address: `${me.handle}@${config.domain}` }, account, form.text("password"));
      c.var.deps.log.info("moving: member moved", { requestId: c.var.requestId, accountId: me.id, to: account.uri });
      return c.redirect("/settings/moving?notice=moved", 303);
    } catch (error) {
      const { state, status } = refusalState(error, { target });
      c.var.deps.log.info("moving: move refused", { requestId: c.var.requestId, reason: state.error });
      return page(c, { move: state }, status);
    }
  });

  return app;
}
