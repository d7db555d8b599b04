/** /admin/status: what the operator should know about the camp's health, in words. */
import { existsSync, statfsSync, statSync } from "node:fs";
import { Hono } from "hono";
import { checkReadiness } from "../../health.ts";
import { unreachableServers } from "../../federation/inboxHealth.ts";
import { readBackupStatus } from "../../domain/operations/backupStatus.ts";
import { VERSION } from "../../version.ts";
import { StatusAdminPage } from "../../../views/pages/statusAdmin.tsx";
import type { WebEnv } from "../env.ts";
import { pageContext, render } from "../render.tsx";
import { requireMember, requireOperator } from "../session.ts";

/** The database file with its write-ahead log. */
function databaseBytes(dbFile: string): number {
  return [dbFile, `${dbFile}-wal`].reduce((sum, file) => sum + (existsSync(file) ? statSync(file).size : 0), 0);
}

export function statusAdminRoutes() {
  const app = new Hono<WebEnv>();
  app.use("*", requireMember, requireOperator);

  app.get("/", async (c) => {
    const { db, config } = c.var.deps;
    const now = Date.now();
    const disk = statfsSync(config.dataDir);
    const ready = await checkReadiness(db, { dataDir: config.dataDir, offsite: config.offsite, at: now, freeBytes: disk.bavail * disk.bsize });
    const backups = readBackupStatus(config.dataDir);
    const offsite = ready.offsite && { ...ready.offsite, lastSuccessName: backups.offsite?.target === ready.offsite.target ? backups.offsite.lastSuccessName : null };
    return render(c, <StatusAdminPage page={await pageContext(c)} facts={{
      version: VERSION, now, problems: ready.problems, queue: ready.queue, unreachable: await unreachableServers(db),
      localBackup: backups.local, offsite, verify: backups.verify,
      disk: { freeBytes: ready.disk.freeBytes, totalBytes: disk.blocks * disk.bsize }, databaseBytes: databaseBytes(config.dbFile),
    }} />);
  });
  return app;
}
