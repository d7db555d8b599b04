/** POST /api/v1/apps (anyone may register an app, as on Mastodon) and GET /api/v1/apps/verify_credentials. */
import { Hono } from "hono";
import { appById, registerApp, type AppRecord } from "../../domain/oauth/apps.ts";
import type { ApiEnv } from "./env.ts";
import { apiError, refusalAnswer } from "./errors.ts";
import { readParams } from "./params.ts";

function applicationEntity(app: AppRecord) {
  return {
    id: String(app.id),
    name: app.name,
    website: app.website,
    scopes: app.scopes,
    redirect_uri: app.redirectUris.join("\n"),
    redirect_uris: app.redirectUris,
    vapid_key: "",
  };
}

export function appsApi() {
  const app = new Hono<ApiEnv>();

  app.post("/api/v1/apps", async (c) => {
    const params = await readParams(c);
    const uris = params.list("redirect_uris").flatMap((u) => u.split(/\s+/)).filter(Boolean);
    try {
      const registered = await registerApp(c.var.deps.db, {
        name: params.text("client_name") ?? "", redirectUris: uris, scopes: params.text("scopes") ?? null, website: params.text("website") ?? null,
      });
      c.var.deps.log.info("api: app registered", { requestId: c.var.requestId, appId: registered.id, name: registered.name });
      return c.json({ ...applicationEntity(registered), client_id: registered.clientId, client_secret: registered.clientSecret, client_secret_expires_at: 0 });
    } catch (error) {
      return refusalAnswer(c, error);
    }
  });

  app.get("/api/v1/apps/verify_credentials", async (c) => {
    if (!c.var.token) return apiError(c, 401, "The access token is invalid");
    const found = await appById(c.var.deps.db, c.var.token.appId);
    if (!found) return apiError(c, 401, "The access token is invalid");
    return c.json(applicationEntity(found));
  });

  return app;
}
