/**
 * GET /healthz (liveness, for Fly's and systemd's checks): 200 while pages can be served, 503 only
 * when the database is gone. GET /readyz (readiness, for the operator's monitoring): 200, or 503
 * with each reason, for an overdue queue, a failing off-site backup or a nearly full disk.
 */
import { Hono } from "hono";
import { checkLiveness, checkReadiness } from "../../health.ts";
import type { WebEnv } from "../env.ts";

/** /healthz */
export function healthRoutes() {
  const app = new Hono<WebEnv>();
  app.get("/", async (c) => {
    const health = await checkLiveness(c.var.deps.db);
    c.header("cache-control", "no-store");
    return c.json({ status: health.ok ? "ok" : "unhealthy", problems: health.problems, queue: health.queue }, health.ok ? 200 : 503);
  });
  return app;
}

/** /readyz */
export function readinessRoutes() {
  const app = new Hono<WebEnv>();
  app.get("/", async (c) => {
    const { config, db } = c.var.deps;
    const ready = await checkReadiness(db, { dataDir: config.dataDir, offsite: config.offsite });
    c.header("cache-control", "no-store");
    const queue = ready.queue && { queued: ready.queue.queued, overdue: ready.queue.overdue, failing: ready.queue.failing, oldestDueAt: ready.queue.oldestDueAt };
    return c.json({ status: ready.ok ? "ready" : "attention", problems: ready.problems, queue, disk: ready.disk, offsite: ready.offsite }, ready.ok ? 200 : 503);
  });
  return app;
}
