/** Deleting an account: the member's own (after typing their handle) and the operator's, from Admin. */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { deleteMemberAccount } from "../../domain/leaving/deleteAccount.ts";
import { findMemberById } from "../../domain/members/directory.ts";
import { AccountDeletedPage, DeleteAccountPage } from "../../../views/pages/leaving.tsx";
import type { FormState } from "../../../views/pages/auth.tsx";
import type { WebEnv } from "../env.ts";
import { readForm } from "../forms.ts";
import { pageContext, refusalState, render } from "../render.tsx";
import { logOut, requireMember, requireOperator } from "../session.ts";

export function leavingRoutes() {
  const app = new Hono<WebEnv>();

  const ownPage = async (c: Context<WebEnv>, state: FormState, status: ContentfulStatusCode = 200) =>
    render(c, <DeleteAccountPage page={await pageContext(c)} handle={c.var.viewer!.handle} action="/settings/delete" byOperator={false} state={state} />, status);

  app.get("/settings/delete", requireMember, (c) => ownPage(c, {}));

  app.post("/settings/delete", requireMember, async (c) => {
    const form = await readForm(c);
    const { handle, id } = c.var.viewer!;
    try {
      await deleteMemberAccount(c.var.deps.db, c.var.deps.config, id, form.text("confirm"));
    } catch (error) {
      const { state, status } = refusalState(error);
      return ownPage(c, state, status);
    }
    c.var.deps.log.info("account: deleted by its member", { requestId: c.var.requestId, accountId: id });
    await logOut(c);
    c.set("viewer", null);
    return render(c, <AccountDeletedPage page={await pageContext(c)} handle={handle} byOperator={false} />);
  });

  const operatorPage = async (c: Context<WebEnv>, state: FormState, status: ContentfulStatusCode = 200) => {
    const id = Number(c.req.param("id"));
    const member = await findMemberById(c.var.deps.db, id);
    if (!member) return c.notFound();
    return render(c, <DeleteAccountPage page={await pageContext(c)} handle={member.handle} action={`/admin/members/${id}/delete`} byOperator state={state} />, status);
  };

  app.get("/admin/members/:id{[0-9]+}/delete", requireMember, requireOperator, (c) => operatorPage(c, {}));

  app.post("/admin/members/:id{[0-9]+}/delete", requireMember, requireOperator, async (c) => {
    const id = Number(c.req.param("id"));
    const member = await findMemberById(c.var.deps.db, id);
    if (!member) return c.notFound();
    const form = await readForm(c);
    try {
      await deleteMemberAccount(c.var.deps.db, c.var.deps.config, id, form.text("confirm"));
    } catch (error) {
      const { state, status } = refusalState(error);
      return operatorPage(c, state, status);
    }
    c.var.deps.log.info("account: deleted by the operator", { requestId: c.var.requestId, accountId: id });
    return render(c, <AccountDeletedPage page={await pageContext(c)} handle={member.handle} byOperator />);
  });

  return app;
}
