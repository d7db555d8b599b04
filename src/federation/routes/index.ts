/** Everything another server may request, mounted before CSRF and sessions: inboxes are signed, not cookie-authenticated. */
import { Hono } from "hono";
import type { WebEnv } from "../../web/env.ts";
import { actorRoutes } from "./actors.ts";
import { discoveryRoutes } from "./discovery.ts";

export function federationRoutes() {
  const app = new Hono<WebEnv>();
  app.route("/", discoveryRoutes());
  app.route("/", actorRoutes());
  return app;
}
