/** Getting in and out: first-run setup, joining by invite, login, logout, password reset. */
import { type Context, Hono } from "hono";
import { completeSetup, isValidSetupToken } from "../../domain/members/setup.ts";
import { acceptInvite, findUsableInvite } from "../../domain/members/invites.ts";
import { checkCredentials } from "../../domain/members/login.ts";
import { normalizeHandle } from "../../domain/members/handles.ts";
import { findUsableReset, useResetToken } from "../../domain/members/passwordResets.ts";
import { getCamp } from "../../domain/camp/settings.ts";
import { Refusal } from "../../domain/errors.ts";
import { JoinPage, LoginPage, ProblemPage, ResetPage, SetupPage } from "../../../views/pages/auth.tsx";
import type { WebEnv } from "../env.ts";
import { readForm, safeNext } from "../forms.ts";
import { pageContext, refusalState, render, statusOf } from "../render.tsx";
import { RateLimiter } from "../rateLimit.ts";
import { clientAddress } from "../clientAddress.ts";
import { logIn, logOut } from "../session.ts";

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export function authRoutes() {
  const app = new Hono<WebEnv>();
  // Per address: every attempt counts. Per account: only failures, so a member is never locked out by success.
  const loginsPerAddress = new RateLimiter("logins-per-address", 20, FIFTEEN_MINUTES);
  const failuresPerAccount = new RateLimiter("login-failures-per-account", 5, FIFTEEN_MINUTES);
  const joinsPerAddress = new RateLimiter("joins-per-address", 10, FIFTEEN_MINUTES);

  const problem = async (c: Context<WebEnv>, error: unknown, title: string) => {
    if (!(error instanceof Refusal)) throw error;
    return render(c, <ProblemPage page={await pageContext(c)} title={title} message={error.message} />, statusOf(error));
  };

  app.get("/setup/:token", async (c) => {
    if (!(await isValidSetupToken(c.var.deps.db, c.req.param("token")))) {
      return render(c, <ProblemPage page={await pageContext(c)} title="Setup link not valid"
        message="This setup link has been used or replaced. The console of the server shows the current one." />, 410);
    }
    return render(c, <SetupPage page={await pageContext(c)} token={c.req.param("token")} state={{}} />);
  });

  app.post("/setup/:token", async (c) => {
    const form = await readForm(c);
    const values = { handle: form.text("handle"), displayName: form.text("displayName") };
    try {
      const id = await completeSetup(c.var.deps.db, c.req.param("token"), { ...values, password: form.text("password") });
      c.var.deps.log.info("setup: operator created", { requestId: c.var.requestId, accountId: id });
      await logIn(c, id);
      return c.redirect("/admin?notice=welcome", 303);
    } catch (error) {
      const { state, status } = refusalState(error, values);
      return render(c, <SetupPage page={await pageContext(c)} token={c.req.param("token")} state={state} />, status);
    }
  });

  app.get("/join/:token", async (c) => {
    try {
      await findUsableInvite(c.var.deps.db, c.req.param("token"));
    } catch (error) {
      return problem(c, error, "Invite not valid");
    }
    const camp = await getCamp(c.var.deps.db);
    return render(c, <JoinPage page={await pageContext(c)} token={c.req.param("token")} campName={camp.name} state={{}} />);
  });

  app.post("/join/:token", async (c) => {
    const token = c.req.param("token");
    const form = await readForm(c);
    const values = { handle: form.text("handle"), displayName: form.text("displayName") };
    const camp = await getCamp(c.var.deps.db);
    if (!(await joinsPerAddress.hit(c.var.deps.db, clientAddress(c)))) {
      c.var.deps.log.warn("join: rate limited", { requestId: c.var.requestId, address: clientAddress(c) });
      return render(c, <JoinPage page={await pageContext(c)} token={token} campName={camp.name}
        state={{ error: "Too many attempts from your address. Wait fifteen minutes and try again.", values }} />, 429);
    }
    try {
      const id = await acceptInvite(c.var.deps.db, token, { ...values, password: form.text("password") });
      c.var.deps.log.info("join: member created", { requestId: c.var.requestId, accountId: id });
      await logIn(c, id);
      return c.redirect("/settings?notice=joined", 303);
    } catch (error) {
      const { state, status } = refusalState(error, values);
      return render(c, <JoinPage page={await pageContext(c)} token={token} campName={camp.name} state={state} />, status);
    }
  });

  app.get("/login", async (c) => {
    const next = safeNext(c.req.query("next"));
    if (c.var.viewer) return c.redirect(next, 303);
    const notice = c.req.query("notice") === "reset" ? "Your password was changed. Log in with the new one." : null;
    return render(c, <LoginPage page={await pageContext(c)} next={next} state={{}} notice={notice} />);
  });

  app.post("/login", async (c) => {
    const next = safeNext(c.req.query("next"));
    const form = await readForm(c);
    const handle = normalizeHandle(form.text("handle")).toLowerCase();
    const address = clientAddress(c);
    const again = async (error: string, status: 401 | 429) =>
      render(c, <LoginPage page={await pageContext(c)} next={next} state={{ error, values: { handle: form.text("handle") } }} />, status);

    if (!(await loginsPerAddress.hit(c.var.deps.db, address)) || (await failuresPerAccount.blocked(c.var.deps.db, handle))) {
      c.var.deps.log.warn("login: rate limited", { requestId: c.var.requestId, address, handle });
      return again("Too many login attempts. Wait fifteen minutes and try again.", 429);
    }
    const accountId = await checkCredentials(c.var.deps.db, handle, form.text("password"));
    if (accountId === null) {
      await failuresPerAccount.hit(c.var.deps.db, handle);
      c.var.deps.log.info("login: refused", { requestId: c.var.requestId, address, handle });
      return again("That handle and password do not match a member who can log in.", 401);
    }
    await logIn(c, accountId);
    return c.redirect(next, 303);
  });

  app.post("/logout", async (c) => {
    await logOut(c);
    return c.redirect("/", 303);
  });

  app.get("/reset/:token", async (c) => {
    try {
      const reset = await findUsableReset(c.var.deps.db, c.req.param("token"));
      return render(c, <ResetPage page={await pageContext(c)} token={c.req.param("token")} handle={reset.handle} state={{}} />);
    } catch (error) {
      return problem(c, error, "Reset link not valid");
    }
  });

  app.post("/reset/:token", async (c) => {
    const token = c.req.param("token");
    const form = await readForm(c);
    try {
      await useResetToken(c.var.deps.db, token, form.text("password"));
      await logOut(c);
      return c.redirect("/login?notice=reset", 303);
    } catch (error) {
      if (error instanceof Refusal && error.field !== "password") return problem(c, error, "Reset link not valid");
      const { state, status } = refusalState(error);
      const reset = await findUsableReset(c.var.deps.db, token);
      return render(c, <ResetPage page={await pageContext(c)} token={token} handle={reset.handle} state={state} />, status);
    }
  });

  return app;
}
