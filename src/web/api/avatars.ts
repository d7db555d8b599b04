/**
 * Default avatars for apps: apps expect every account to have a picture URL, so someone without one
 * gets issue 13's default avatar (initials on a colour from their handle, the same as in pages) as
 * an SVG file, and the camp its own from its name. Names and handles are public (profiles show them),
 * so these answer without a token; accounts that are gone answer 404.
 */
import { Hono } from "hono";
import { accountCards } from "../../domain/accounts/cards.ts";
import { getCamp } from "../../domain/camp/settings.ts";
import { defaultAvatarImage } from "../../../views/components/defaultAvatar.ts";
import { parseId } from "../htmx.ts";
import type { ApiEnv } from "./env.ts";
import { apiError, NOT_FOUND } from "./errors.ts";

/** A name can change: an hour of caching lets a new one show soon enough. */
const svg = (body: string) => new Response(body, { headers: { "content-type": "image/svg+xml", "cache-control": "public, max-age=3600" } });

export function avatarsApi() {
  const app = new Hono<ApiEnv>();

  app.get("/api/kith/avatars/camp.svg", async (c) => svg(defaultAvatarImage((await getCamp(c.var.deps.db)).name, c.var.deps.config.domain)));

  app.get("/api/kith/avatars/:file{[0-9]+\\.svg}", async (c) => {
    const id = parseId(c.req.param("file").replace(/\.svg$/, ""));
    const card = id === null ? undefined : (await accountCards(c.var.deps.db, [id])).get(id);
    return card ? svg(defaultAvatarImage(card.displayName, card.handle)) : apiError(c, 404, NOT_FOUND);
  });

  return app;
}
