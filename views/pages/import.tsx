/** Importing CSV files from another server: the upload form, the member's imports, and one import's rows. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { ErrorBox, Field, Form } from "../components/forms.tsx";
import type { FormState } from "./auth.tsx";

export interface ImportSummaryView {
  id: number;
  kind: string;
  file_name: string;
  total_rows: number;
  done_rows: number;
  finished_at: number | null;
}

const RESULT_LABELS: Record<string, string> = {
  followed: "followed", pending: "pending", not_found: "not found", refused: "refused", done: "done", failed: "failed",
};

/** What each kind of file is called on the page. */
const KIND_LABELS: Record<string, string> = { domain_blocks: "blocked domains" };
const kindLabel = (kind: string) => KIND_LABELS[kind] ?? kind;
/** What each kind of file's rows name, for the results table. */
const TARGET_LABELS: Record<string, string> = { domain_blocks: "Domain", bookmarks: "Post" };

function progressText(i: ImportSummaryView) {
  return i.finished_at ? `done, ${i.total_rows} rows` : `${i.done_rows} of ${i.total_rows} rows so far`;
}

export function ImportPage(props: { page: PageContext; imports: ImportSummaryView[]; maxRows: number; state: FormState }) {
  return (
    <Layout page={props.page} title="Import from another server">
      <ErrorBox message={props.state.error} />
      <p>
        Bring your follows, blocks, mutes, blocked domains, lists and bookmarks from Mastodon or another server: export them there as
        CSV, then upload the file here. Each account is looked up and followed, blocked, muted or put on its list (followed first if
        need be), and each bookmarked post looked up and saved; importing the same file again changes nothing.
      </p>
      <Form action="/settings/import" csrf={props.page.csrf} multipart label="Import a CSV file">
        <div class="field">
          <label for="field-kind">What the file holds</label>
          <select id="field-kind" name="kind" required>
            <option value="follows" selected={props.state.values?.kind === "follows"}>Follows (following_accounts.csv)</option>
            <option value="blocks" selected={props.state.values?.kind === "blocks"}>Blocks (blocked_accounts.csv)</option>
            <option value="mutes" selected={props.state.values?.kind === "mutes"}>Mutes (muted_accounts.csv)</option>
            <option value="domain_blocks" selected={props.state.values?.kind === "domain_blocks"}>Blocked domains (domain_blocks.csv)</option>
            <option value="lists" selected={props.state.values?.kind === "lists"}>Lists (lists.csv)</option>
            <option value="bookmarks" selected={props.state.values?.kind === "bookmarks"}>Bookmarks (bookmarks.csv)</option>
          </select>
        </div>
        <Field name="file" label="CSV file" type="file" accept=".csv,text/csv" required hint={`At most ${props.maxRows.toLocaleString("en")} rows.`}
          error={props.state.field === "file" ? props.state.error : null} />
        <button type="submit">Import</button>
      </Form>
      {props.imports.length > 0 && (
        <section aria-labelledby="imports-heading">
          <h2 id="imports-heading">Your imports</h2>
          <ul>
            {props.imports.map((i) => <li><a href={`/settings/import/${i.id}`}>{kindLabel(i.kind)} from {i.file_name || "a file"}</a>: {progressText(i)}</li>)}
          </ul>
        </section>
      )}
    </Layout>
  );
}

export function ImportProgressPage(props: {
  page: PageContext;
  summary: ImportSummaryView;
  counts: Partial<Record<string, number>>;
  rows: { row_no: number; target: string; result: string | null; detail: string }[];
  nextAfter: number | null;
}) {
  const s = props.summary;
  return (
    <Layout page={props.page} title={`Importing ${kindLabel(s.kind)}`}>
      <div role="status">
        <p>{s.file_name || "Your file"}: {progressText(s)}.{!s.finished_at && <> <a href={`/settings/import/${s.id}`}>Check again</a></>}</p>
        <progress value={s.done_rows} max={Math.max(s.total_rows, 1)} aria-label="Import progress">{s.done_rows} of {s.total_rows}</progress>
        <p>{Object.entries(props.counts).map(([result, n]) => `${RESULT_LABELS[result] ?? result}: ${n}`).join(" · ") || "Nothing processed yet."}</p>
      </div>
      <table>
        <caption>Row by row</caption>
        <thead><tr><th scope="col">Row</th><th scope="col">{TARGET_LABELS[s.kind] ?? "Account"}</th><th scope="col">Result</th><th scope="col">Details</th></tr></thead>
        <tbody>
          {props.rows.map((r) => (
            <tr><td>{r.row_no}</td><td>{r.target}</td><td>{r.result ? RESULT_LABELS[r.result] : "waiting"}</td><td>{r.detail}</td></tr>
          ))}
        </tbody>
      </table>
      {props.nextAfter !== null && <p><a href={`/settings/import/${s.id}?after=${props.nextAfter}`}>More rows</a></p>}
      <p><a href="/settings/import">Back to imports</a></p>
    </Layout>
  );
}
