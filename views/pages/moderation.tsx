/** Reporting a post or a person, and the report queue the operator and the moderators work through. */
import { raw } from "hono/html";
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { CsrfField, ErrorBox, Field, Form, Notice, PostButton } from "../components/forms.tsx";
import type { FormState } from "./auth.tsx";
import type { OpenReport, PersonRef } from "../../src/domain/reports/queue.ts";
import { MAX_NOTE } from "../../src/domain/moderation/auditLog.ts";
import { MAX_REPORT_COMMENT } from "../../src/domain/reports/file.ts";

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A post's stored (already sanitized) HTML, behind its content warning when it has one. */
function PostBody(props: { html: string; contentWarning: string }) {
  const content = <div class="content">{raw(props.html)}</div>;
  if (!props.contentWarning) return content;
  return (
    <details class="cw">
      <summary><span class="cw-label">Content warning:</span> {props.contentWarning}</summary>
      {content}
    </details>
  );
}

export interface ReportFormProps {
  page: PageContext;
  /** Where the form posts, and what "back" goes to. */
  action: string;
  back: string;
  acct: string;
  displayName: string;
  post: { html: string; contentWarning: string } | null;
  /** The other server's domain when the report may be sent there too. */
  forwardTo: string | null;
  state: FormState;
  sent: boolean;
}

export function ReportFormPage(props: ReportFormProps) {
  const what = props.post ? `a post by @${props.acct}` : `@${props.acct}`;
  if (props.sent) {
    return (
      <Layout page={props.page} title="Report sent">
        <Notice message={`Thank you. The camp's moderators will look at your report about ${what}.`} />
        <p><a href={props.back}>Go back</a></p>
      </Layout>
    );
  }
  const v = props.state.values ?? {};
  return (
    <Layout page={props.page} title={props.post ? "Report a post" : `Report @${props.acct}`}>
      <ErrorBox message={props.state.error} />
      <section aria-labelledby="reported-heading">
        <h2 id="reported-heading">You are reporting {what}</h2>
        {props.post ? <blockquote class="reported-post"><PostBody {...props.post} /></blockquote> : <p>{props.displayName} (@{props.acct})</p>}
      </section>
      <Form action={props.action} csrf={props.page.csrf} label="Report">
        <Field name="comment" label="What is wrong (optional)" multiline rows={4} maxlength={MAX_REPORT_COMMENT} value={v.comment}
          hint="Only the camp's operator and moderators see your report."
          error={props.state.field === "comment" ? props.state.error : null} />
        {props.forwardTo && (
          <label><input type="checkbox" name="forward" value="1" checked={v.forward === "1"} /> Also send this report to {props.forwardTo} (without your name)</label>
        )}
        <button type="submit">Send report</button>
      </Form>
      <p><a href={props.back}>Cancel</a></p>
    </Layout>
  );
}

function Person(props: { person: PersonRef | null; operator: boolean }) {
  const p = props.person;
  if (!p) return <>someone no longer here</>;
  return (
    <>
      <a href={p.local ? `/@${p.acct}` : `/remote/${p.id}`}>@{p.acct}</a>
      {props.operator && p.local && <> (<a href={`/admin/members/${p.id}`}>member admin page</a>)</>}
    </>
  );
}

/** Resolving a report, with an optional note for the audit log (ids per report: many share a page). */
function ResolveForm(props: { reportId: number; csrf: string }) {
  const id = `resolve-note-${props.reportId}`;
  return (
    <form method="post" action={`/moderation/reports/${props.reportId}/resolve`} class="resolve">
      <CsrfField csrf={props.csrf} />
      <label for={id}>Note on how it was resolved (optional)</label>
      <input id={id} name="note" type="text" maxlength={MAX_NOTE} />
      <button type="submit">Mark resolved</button>
    </form>
  );
}

export function ReportQueuePage(props: { page: PageContext; reports: OpenReport[]; operator: boolean; maySuspend: boolean; notice?: string | null; error?: string | null }) {
  const csrf = props.page.csrf;
  return (
    <Layout page={props.page} title="Reports">
      {props.maySuspend && <p><a href="/moderation/members">Suspend or reinstate members</a></p>}
      <Notice message={props.notice} />
      <ErrorBox message={props.error} />
      {props.reports.length === 0 ? <p class="empty">No open reports.</p> : (
        <ul class="reports">
          {props.reports.map((r) => (
            <li>
              <article aria-labelledby={`report-${r.id}`}>
                <h2 id={`report-${r.id}`}>Report about <Person person={r.target} operator={props.operator} /></h2>
                <p>From <Person person={r.reporter} operator={false} /> on <time datetime={new Date(r.createdAt).toISOString()}>{day(r.createdAt)}</time></p>
                {r.comment ? <blockquote class="report-comment">{r.comment}</blockquote> : <p class="empty">No comment.</p>}
                {r.posts.map((post) => (
                  <section class="reported-post" aria-label={`Post by @${post.author}`}>
                    <p>Post by @{post.author}{post.removed ? " (removed)" : <>: <a href={`/posts/${post.id}`}>open it in its thread</a></>}</p>
                    <blockquote><PostBody html={post.html} contentWarning={post.contentWarning} /></blockquote>
                    {!post.removed && <PostButton action={`/moderation/reports/${r.id}/posts/${post.id}/remove`} csrf={csrf} label="Remove this post" class="secondary" />}
                  </section>
                ))}
                <ResolveForm reportId={r.id} csrf={csrf} />
              </article>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
