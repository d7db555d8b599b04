/** The member's import pages: upload a CSV, see each import's progress and its rows' results. */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { MAX_IMPORT_ROWS } from "../../domain/import/csvFile.ts";
import { importProgress, importsOf } from "../../domain/import/progress.ts";
import { startImport } from "../../domain/import/start.ts";
import { Refusal } from "../../domain/errors.ts";
import { ImportPage, ImportProgressPage } from "../../../views/pages/import.tsx";
import type { FormState } from "../../../views/pages/auth.tsx";
import type { WebEnv } from "../env.ts";
import { readForm } from "../forms.ts";
import { RateLimiter } from "../rateLimit.ts";
import { pageContext, refusalState, render } from "../render.tsx";
import { requireMember } from "../session.ts";

export function importRoutes() {
  const app = new Hono<WebEnv>();
  // Each import may look up thousands of accounts elsewhere; a person moving needs a handful of files.
  const importsPerHour = new RateLimiter("imports-per-member", 20, 60 * 60 * 1000);

  const page = async (c: Context<WebEnv>, state: FormState, status: ContentfulStatusCode = 200) =>
    render(c, <ImportPage page={await pageContext(c)} imports={await importsOf(c.var.deps.db, c.var.viewer!.id)} maxRows={MAX_IMPORT_ROWS} state={state} />, status);

  app.get("/settings/import", requireMember, (c) => page(c, {}));

  app.post("/settings/import", requireMember, async (c) => {
    const form = await readForm(c);
    const kind = form.text("kind");
    if (!(await importsPerHour.hit(c.var.deps.db, String(c.var.viewer!.id)))) {
      return page(c, { error: "That is a lot of imports in one hour. Wait a while before importing more.", values: { kind } }, 429);
    }
    try {
      const id = await startImport(c.var.deps.db, c.var.viewer!.id, kind, form.fileName("file"), await form.file("file"));
      c.var.deps.log.info("import: started", { requestId: c.var.requestId, importId: id, kind });
      return c.redirect(`/settings/import/${id}`, 303);
    } catch (error) {
      const { state, status } = refusalState(error, { kind });
      c.var.deps.log.info("import: refused", { requestId: c.var.requestId, kind, reason: state.error });
      return page(c, state, status);
    }
  });

  app.get("/settings/import/:id{[0-9]+}", requireMember, async (c) => {
    try {
      const progress = await importProgress(c.var.deps.db, c.var.viewer!.id, Number(c.req.param("id")), Number(c.req.query("after") ?? 0) || 0);
      return render(c, <ImportProgressPage page={await pageContext(c)} {...progress} />);
    } catch (error) {
      if (error instanceof Refusal) return c.notFound();
      throw error;
    }
  });

  return app;
}
