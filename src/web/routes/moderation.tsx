/**
 * Reports and what moderators do with them: members report a post or a person from a small
 * form; the operator and the moderators work the report queue (resolve, remove a reported post).
 * Managing members and settings stays the operator's (/admin).
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { Refusal } from "../../domain/errors.ts";
import { accountSubject, fileReport, postSubject, type ReportSubject } from "../../domain/reports/file.ts";
import { mayModerate } from "../../domain/reports/moderators.ts";
import { openReports, removeReportedPost, resolveReport } from "../../domain/reports/queue.ts";
import { moderatorsMaySuspend } from "../../domain/moderation/suspensionPolicy.ts";
import { ProblemPage, type FormState } from "../../../views/pages/auth.tsx";
import { ReportFormPage, ReportQueuePage } from "../../../views/pages/moderation.tsx";
import type { WebEnv } from "../env.ts";
import { readForm } from "../forms.ts";
import { parseId } from "../htmx.ts";
import { pageContext, refusalState, render, statusOf } from "../render.tsx";
import { requireMember } from "../session.ts";

/** Lets only the operator and moderators through. */
export const requireModerator: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (!mayModerate(c.var.viewer?.role)) return c.text("Only the camp's operator and moderators can open this page.", 403);
  await next();
};

const QUEUE_NOTICES: Record<string, string> = { resolved: "The report is resolved.", removed: "The post is removed and the report resolved." };

/** What a report form is about, and where it posts and goes back to. */
interface Reportable {
  load: (c: Context<WebEnv>, id: number) => Promise<ReportSubject>;
  action: (id: number) => string;
  back: (id: number, subject: ReportSubject) => string;
}

const REPORTABLES: Record<string, Reportable> = {
  "/posts/:id/report": {
    load: (c, id) => postSubject(c.var.deps.db, c.var.viewer!.id, id),
    action: (id) => `/posts/${id}/report`,
    back: (id) => `/posts/${id}`,
  },
  "/accounts/:id/report": {
    load: (c, id) => accountSubject(c.var.deps.db, c.var.viewer!.id, id),
    action: (id) => `/accounts/${id}/report`,
    back: (id, s) => (s.account.domain === null ? `/@${s.account.handle}` : `/remote/${id}`),
  },
};

async function problem(c: Context<WebEnv>, error: unknown) {
  if (!(error instanceof Refusal)) throw error;
  c.var.deps.log.info("report: refused", { requestId: c.var.requestId, path: c.req.path, reason: error.message });
  const title = error.kind === "not_found" ? "Not found" : "Cannot report this";
  return render(c, <ProblemPage page={await pageContext(c)} title={title} message={error.message} />, statusOf(error));
}

const NOT_FOUND = new Refusal("not_found", "That does not exist, was deleted, or is not visible to you.");

/** What the report form at this path is about, or the page saying why there is nothing to report. */
async function subjectOf(c: Context<WebEnv>, reportable: Reportable): Promise<{ id: number; subject: ReportSubject } | Response> {
  const id = parseId(c.req.param("id"));
  try {
    if (id === null) throw NOT_FOUND;
    return { id, subject: await reportable.load(c, id) };
  } catch (error) {
    return problem(c, error);
  }
}

async function reportForm(c: Context<WebEnv>, reportable: Reportable, id: number, subject: ReportSubject, state: FormState, status: ContentfulStatusCode = 200) {
  const acct = subject.account.domain ? `${subject.account.handle}@${subject.account.domain}` : subject.account.handle;
  return render(c, <ReportFormPage page={await pageContext(c)} action={reportable.action(id)} back={reportable.back(id, subject)} acct={acct}
    displayName={subject.account.displayName} post={subject.post && { html: subject.post.html, contentWarning: subject.post.content_warning }}
    forwardTo={subject.forwardable ? subject.account.domain : null} state={state} sent={c.req.query("sent") === "1"} />, status);
}

async function queuePage(c: Context<WebEnv>, extra: { error?: string | null } = {}, status: ContentfulStatusCode = 200) {
  const operator = c.var.viewer!.role === "operator";
  const maySuspend = operator || (await moderatorsMaySuspend(c.var.deps.db));
  return render(c, <ReportQueuePage page={await pageContext(c)} reports={await openReports(c.var.deps.db)} operator={operator} maySuspend={maySuspend}
    notice={QUEUE_NOTICES[c.req.query("notice") ?? ""]} error={extra.error} />, status);
}

export function moderationRoutes() {
  const app = new Hono<WebEnv>();

  for (const [path, reportable] of Object.entries(REPORTABLES)) {
    app.get(path, requireMember, async (c) => {
      const found = await subjectOf(c, reportable);
      return found instanceof Response ? found : reportForm(c, reportable, found.id, found.subject, {});
    });

    app.post(path, requireMember, async (c) => {
      const found = await subjectOf(c, reportable);
      if (found instanceof Response) return found;
      const { id, subject } = found;
      const form = await readForm(c);
      const values = { comment: form.text("comment"), forward: form.text("forward") };
      try {
        const reportId = await fileReport(c.var.deps.db, c.var.viewer!.id, subject, { comment: values.comment, forward: values.forward === "1" });
        c.var.deps.log.info("report: filed", { requestId: c.var.requestId, reportId, forwarded: values.forward === "1" && subject.forwardable });
        return c.redirect(`${reportable.action(id)}?sent=1`, 303);
      } catch (error) {
        const { state, status } = refusalState(error, values);
        c.var.deps.log.info("report: refused", { requestId: c.var.requestId, path: c.req.path, reason: state.error });
        return reportForm(c, reportable, id, subject, state, status);
      }
    });
  }

  app.use("/moderation/*", requireMember, requireModerator);
  app.get("/moderation/reports", (c) => queuePage(c));

  /** Runs a moderator's action on a report, logs who did it, and comes back to the queue. */
  const action = (path: string, notice: string, run: (c: Context<WebEnv>, reportId: number) => Promise<void>) =>
    app.post(path, async (c) => {
      const reportId = Number(c.req.param("id"));
      try {
        await run(c, reportId);
      } catch (error) {
        const { state, status } = refusalState(error);
        return queuePage(c, { error: state.error }, status);
      }
      c.var.deps.log.info(`moderation: report ${notice}`, { requestId: c.var.requestId, reportId, by: c.var.viewer!.id });
      return c.redirect(`/moderation/reports?notice=${notice}`, 303);
    });

  action("/moderation/reports/:id{[0-9]+}/resolve", "resolved", async (c, id) => resolveReport(c.var.deps.db, id, c.var.viewer!, (await readForm(c)).text("note")));
  action("/moderation/reports/:id{[0-9]+}/posts/:postId{[0-9]+}/remove", "removed",
    (c, id) => removeReportedPost(c.var.deps.db, id, Number(c.req.param("postId")), c.var.viewer!));

  return app;
}
