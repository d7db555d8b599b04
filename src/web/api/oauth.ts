/**
 * The app's side of OAuth 2 (RFC 6749), answered as Mastodon's Doorkeeper does: /oauth/token for
 * authorization codes (with PKCE) and client credentials, /oauth/revoke (RFC 7009), and the server
 * metadata (RFC 8414). The member's consent page is a normal page (src/web/routes/oauthConsent.tsx).
 */
import { Hono, type Context } from "hono";
import { authenticateApp } from "../../domain/oauth/apps.ts";
import { redeemCode } from "../../domain/oauth/codes.ts";
import { OAuthRefusal, type OAuthErrorCode } from "../../domain/oauth/errors.ts";
import { ALL_SCOPES, parseScopes, withinScopes } from "../../domain/oauth/scopes.ts";
import { issueToken, revokeToken } from "../../domain/oauth/tokens.ts";
import type { ApiEnv } from "./env.ts";
import { readParams, type Params } from "./params.ts";

const STATUS: Record<OAuthErrorCode, 400 | 401 | 403> = {
  invalid_request: 400, invalid_client: 401, invalid_grant: 400, invalid_scope: 400, unsupported_grant_type: 400, unauthorized_client: 403,
};

function oauthError(c: Context<ApiEnv>, refusal: OAuthRefusal) {
  c.var.deps.log.info("oauth: refused", { requestId: c.var.requestId, path: c.req.path, error: refusal.code });
  return c.json({ error: refusal.code, error_description: refusal.message }, STATUS[refusal.code]);
}

/** The client's id and secret, from the form or from HTTP Basic authentication. */
function clientCredentials(c: Context<ApiEnv>, params: Params) {
  const basic = /^Basic\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  if (basic) {
    const [id, secret] = Buffer.from(basic[1]!, "base64").toString().split(":").map(decodeURIComponent);
    return { id: id ?? "", secret: secret ?? "" };
  }
  return { id: params.text("client_id") ?? "", secret: params.text("client_secret") ?? "" };
}

export function oauthApi() {
  const app = new Hono<ApiEnv>();

  app.post("/oauth/token", async (c) => {
    const params = await readParams(c);
    const db = c.var.deps.db;
    try {
      const grant = params.text("grant_type");
      if (!grant) throw new OAuthRefusal("invalid_request", "Missing required parameter: grant_type.");
      if (grant !== "authorization_code" && grant !== "client_credentials") throw new OAuthRefusal("unsupported_grant_type");
      const credentials = clientCredentials(c, params);
      const client = await authenticateApp(db, credentials.id, credentials.secret);
      if (!client) throw new OAuthRefusal("invalid_client");
      let issued;
      if (grant === "authorization_code") {
        const code = params.text("code");
        if (!code) throw new OAuthRefusal("invalid_request", "Missing required parameter: code.");
        issued = await redeemCode(db, client, { code, redirectUri: params.text("redirect_uri") ?? "", codeVerifier: params.text("code_verifier") ?? null });
      } else {
        const scopes = parseScopes(params.text("scope"));
        if (!scopes || !withinScopes(client.scopes, scopes)) throw new OAuthRefusal("invalid_scope");
        issued = await issueToken(db, { appId: client.id, accountId: null, scopes });
      }
      c.var.deps.log.info("oauth: token issued", { requestId: c.var.requestId, appId: client.id, grant });
      return c.json({ access_token: issued.token, token_type: "Bearer", scope: issued.scopes.join(" "), created_at: Math.floor(issued.createdAt / 1000) });
    } catch (error) {
      if (error instanceof OAuthRefusal) return oauthError(c, error);
      throw error;
    }
  });

  app.post("/oauth/revoke", async (c) => {
    const params = await readParams(c);
    const credentials = clientCredentials(c, params);
    const client = await authenticateApp(c.var.deps.db, credentials.id, credentials.secret);
    const token = params.text("token");
    if (!client || !token) return oauthError(c, new OAuthRefusal("unauthorized_client"));
    if (!(await revokeToken(c.var.deps.db, client.id, token))) return oauthError(c, new OAuthRefusal("unauthorized_client"));
    c.var.deps.log.info("oauth: token revoked by app", { requestId: c.var.requestId, appId: client.id });
    return c.json({});
  });

  app.get("/.well-known/oauth-authorization-server", (c) => {
    const origin = c.var.deps.config.origin;
    return c.json({
      issuer: `${origin}/`,
      service_documentation: "https://docs.joinmastodon.org/",
      authorization_endpoint: `${origin}/oauth/authorize`,
      token_endpoint: `${origin}/oauth/token`,
      revocation_endpoint: `${origin}/oauth/revoke`,
      app_registration_endpoint: `${origin}/api/v1/apps`,
      scopes_supported: ALL_SCOPES,
      response_types_supported: ["code"],
      response_modes_supported: ["query"],
      grant_types_supported: ["authorization_code", "client_credentials"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    });
  });

  return app;
}
