/** The member's export page: ask for an archive, watch it being made, download it; the CSV files directly. */
import { type Context, Hono } from "hono";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { runningUnderBun } from "../../db/driver.ts";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { downloadableExport, latestExport, requestExport } from "../../domain/export/requests.ts";
import { CSV_FILES, type CsvFile, csvLines } from "../../domain/export/csv.ts";
import { archiveLinks } from "../../federation/archiveLinks.ts";
import { ExportPage } from "../../../views/pages/export.tsx";
import type { WebEnv } from "../env.ts";
import { pageContext, refusalState, render, statusOf } from "../render.tsx";
import { requireMember } from "../session.ts";
import { Refusal } from "../../domain/errors.ts";

const NOTICES: Record<string, string> = { queued: "Your archive is on its way. This page shows its progress." };

/**
 * An archive file as a response body, without reading it into memory: under Bun its file body
 * (sent by the kernel, no copies), under Node a stream read a chunk at a time as the client takes it.
 */
function fileBody(path: string): ReadableStream | Blob {
  return runningUnderBun ? Bun.file(path) : (Readable.toWeb(createReadStream(path)) as unknown as ReadableStream);
}

export function exportRoutes() {
  const app = new Hono<WebEnv>();

  const page = async (c: Context<WebEnv>, error: string | null = null, status: ContentfulStatusCode = 200) => {
    const row = await latestExport(c.var.deps.db, c.var.viewer!.id);
    const archive = row && { id: row.id, state: row.state, doneItems: row.done_items, totalItems: row.total_items, bytes: row.bytes, error: row.error, expiresAt: row.expires_at };
    return render(c, <ExportPage page={await pageContext(c)} archive={archive ?? null} csvFiles={CSV_FILES} notice={NOTICES[c.req.query("notice") ?? ""]} error={error} />, status);
  };

  app.get("/settings/export", requireMember, (c) => page(c));

  app.post("/settings/export", requireMember, async (c) => {
    try {
      const id = await requestExport(c.var.deps.db, c.var.deps.config.dataDir, c.var.viewer!.id);
      c.var.deps.log.info("export: requested", { requestId: c.var.requestId, exportId: id });
      return c.redirect("/settings/export?notice=queued", 303);
    } catch (error) {
      const { state, status } = refusalState(error);
      return page(c, state.error, status);
    }
  });

  app.get("/settings/export/:id{[0-9]+}/download", requireMember, async (c) => {
    const viewer = c.var.viewer!;
    try {
      const file = await downloadableExport(c.var.deps.db, c.var.deps.config.dataDir, viewer.id, Number(c.req.param("id")));
      const name = `kith-archive-${viewer.handle}-${new Date(file.createdAt).toISOString().slice(0, 10)}.tar`;
      return new Response(fileBody(file.path), { status: 200, headers: {
        "content-type": "application/x-tar",
        "content-length": String(file.bytes),
        "content-disposition": `attachment; filename="${name}"`,
        "cache-control": "private, no-store",
      } });
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return page(c, error.message, statusOf(error));
    }
  });

  app.get("/settings/export/:file{[a-z_]+\\.csv}", requireMember, (c) => {
    const file = c.req.param("file") as CsvFile;
    if (!CSV_FILES.includes(file)) return c.notFound();
    const lines = csvLines(c.var.deps.db, file, c.var.viewer!.id, { localDomain: c.var.deps.config.domain, postUri: archiveLinks(c.var.deps).postUri });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
    });
    return c.body(body, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${file}"`, "cache-control": "private, no-store" });
  });

  return app;
}
