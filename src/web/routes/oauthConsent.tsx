/**
 * The member's side of OAuth, behind the session cookie and CSRF like every page: the consent page
 * an app sends them to (/oauth/authorize), and Settings, Apps, where they revoke an app's access.
 */
import { Hono, type Context } from "hono";
import { findApp, OOB_REDIRECT } from "../../domain/oauth/apps.ts";
import { checkAuthorizationRequest, grantCode, type AuthorizationRequest } from "../../domain/oauth/codes.ts";
import { OAuthRefusal } from "../../domain/oauth/errors.ts";
import { describeScope, parseScopes } from "../../domain/oauth/scopes.ts";
import { authorizedApps, revokeApp } from "../../domain/oauth/tokens.ts";
import { AuthorizedAppsPage, CodePage, ConsentPage } from "../../../views/pages/oauth.tsx";
import { ProblemPage } from "../../../views/pages/auth.tsx";
import type { WebEnv } from "../env.ts";
import { readForm } from "../forms.ts";
import { parseId } from "../htmx.ts";
import { pageContext, render } from "../render.tsx";
import { requireMember } from "../session.ts";

/** The parameters of an authorization request, the same whether they come in the query or the form. */
const PARAMS = ["client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"] as const;
type Params = Record<(typeof PARAMS)[number], string>;

/** The app and the checked request, or a refusal the member reads (never a redirect to an unchecked URI). */
async function checkedRequest(c: Context<WebEnv>, params: Params) {
  const app = await findApp(c.var.deps.db, params.client_id);
  if (!app) throw new OAuthRefusal("invalid_client");
  const scopes = parseScopes(params.scope);
  if (!scopes) throw new OAuthRefusal("invalid_scope");
  const request: AuthorizationRequest = {
    redirectUri: params.redirect_uri, scopes,
    codeChallenge: params.code_challenge || null, codeChallengeMethod: params.code_challenge_method || null,
  };
  checkAuthorizationRequest(app, request);
  return { app, request };
}

async function refusedPage(c: Context<WebEnv>, error: unknown) {
  if (!(error instanceof OAuthRefusal)) throw error;
  c.var.deps.log.info("oauth: authorization refused", { requestId: c.var.requestId, error: error.code });
  const message = `The app's request cannot be approved: ${error.message} Go back to the app and try signing in again; if it keeps failing, the app may not work with this camp.`;
  return render(c, <ProblemPage page={await pageContext(c)} title="This app's request is not valid" message={message} />, 400);
}

/** Back to the app with the code (or the refusal), keeping its `state`. */
function backToApp(redirectUri: string, fields: Record<string, string>) {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(fields)) if (value) url.searchParams.set(name, value);
  return url.toString();
}

export function oauthConsentRoutes() {
  const app = new Hono<WebEnv>();

  app.get("/oauth/authorize", requireMember, async (c) => {
    const params = Object.fromEntries(PARAMS.map((p) => [p, c.req.query(p) ?? ""])) as Params;
    if (c.req.query("response_type") !== "code") return refusedPage(c, new OAuthRefusal("invalid_request", "Only response_type=code is supported."));
    try {
      const { app: client, request } = await checkedRequest(c, params);
      return render(c, <ConsentPage page={await pageContext(c)} consent={{
        appName: client.name, website: client.website,
        scopes: request.scopes.map((scope) => ({ scope, meaning: describeScope(scope) })),
        hidden: { ...params, scope: request.scopes.join(" ") },
      }} />);
    } catch (error) {
      return refusedPage(c, error);
    }
  });

  app.post("/oauth/authorize", requireMember, async (c) => {
    const form = await readForm(c);
    const params = Object.fromEntries(PARAMS.map((p) => [p, form.text(p)])) as Params;
    try {
      const { app: client, request } = await checkedRequest(c, params);
      if (form.text("decision") !== "approve") {
        c.var.deps.log.info("oauth: denied", { requestId: c.var.requestId, appId: client.id });
        if (request.redirectUri === OOB_REDIRECT) return c.redirect("/settings/apps", 303);
        return c.redirect(backToApp(request.redirectUri, { error: "access_denied", error_description: "The resource owner or authorization server denied the request.", state: params.state }), 303);
      }
      const code = await grantCode(c.var.deps.db, client, c.var.viewer!.id, request);
      c.var.deps.log.info("oauth: approved", { requestId: c.var.requestId, appId: client.id, scopes: request.scopes.join(" ") });
      if (request.redirectUri === OOB_REDIRECT) return render(c, <CodePage page={await pageContext(c)} appName={client.name} code={code} />);
      return c.redirect(backToApp(request.redirectUri, { code, state: params.state }), 303);
    } catch (error) {
      return refusedPage(c, error);
    }
  });

  app.get("/settings/apps", requireMember, async (c) => {
    const when = (at: number | null) => (at === null ? "never" : new Date(at).toISOString().slice(0, 10));
    const apps = (await authorizedApps(c.var.deps.db, c.var.viewer!.id)).map((a) => ({
      ...a, authorizedAt: when(a.authorizedAt), lastUsed: when(a.lastUsedAt),
    }));
    return render(c, <AuthorizedAppsPage page={await pageContext(c)} apps={apps} notice={c.req.query("notice") === "revoked" ? "Revoked: the app is signed out." : null} />);
  });

  app.post("/settings/apps/:id/revoke", requireMember, async (c) => {
    const id = parseId(c.req.param("id"));
    if (id !== null) await revokeApp(c.var.deps.db, c.var.viewer!.id, id);
    c.var.deps.log.info("oauth: app revoked by member", { requestId: c.var.requestId, appId: id });
    return c.redirect("/settings/apps?notice=revoked", 303);
  });

  return app;
}
