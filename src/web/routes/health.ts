/** GET /healthz for the platform's health checks: 200 when the camp is well, 503 with the reasons otherwise. */
import { Hono } from "hono";
import { checkHealth } from "../../health.ts";
import type { WebEnv } from "../env.ts";

export function healthRoutes() {
  const app = new Hono<WebEnv>();
  app.get("/", async (c) => {
    const health = await checkHealth(c.var.deps.db);
    c.header("cache-control", "no-store");
    const queue = health.queue && { queued: health.queue.queued, overdue: health.queue.overdue };
    return c.json({ status: health.ok ? "ok" : "unhealthy", problems: health.problems, queue }, health.ok ? 200 : 503);
  });
  return app;
}
