/** The export page: the archive's progress or download link, the button to make one, and the CSV files. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { ErrorBox, Form, Notice } from "../components/forms.tsx";

export interface ExportView {
  id: number;
  state: "queued" | "running" | "done" | "failed";
  doneItems: number;
  totalItems: number;
  bytes: number;
  error: string | null;
  expiresAt: number | null;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

function ArchiveStatus(props: { archive: ExportView | null }) {
  const a = props.archive;
  if (!a) return <p>You have no archive yet.</p>;
  switch (a.state) {
    case "queued":
      return <p role="status">Your archive is waiting to be made. <a href="/settings/export">Check again</a></p>;
    case "running":
      return (
        <div role="status">
          <p>Your archive is being made: {a.doneItems} of {a.totalItems} posts and images so far. <a href="/settings/export">Check again</a></p>
          <progress value={a.doneItems} max={Math.max(a.totalItems, 1)} aria-label="Archive progress">{a.doneItems} of {a.totalItems}</progress>
        </div>
      );
    case "failed":
      return <p class="error" role="alert">{a.error}</p>;
    default:
      return (
        <p>
          <a href={`/settings/export/${a.id}/download`} download>Download your archive</a> ({size(a.bytes)}, a tar file), until {a.expiresAt ? day(a.expiresAt) : "further notice"}.
        </p>
      );
  }
}

export function ExportPage(props: { page: PageContext; archive: ExportView | null; csvFiles: readonly string[]; notice?: string | null; error?: string | null }) {
  const busy = props.archive?.state === "queued" || props.archive?.state === "running";
  return (
    <Layout page={props.page} title="Export your data">
      <Notice message={props.notice} />
      <ErrorBox message={props.error} />
      <h2>Archive</h2>
      <p>
        Everything you posted (camp-only posts too, marked as such), your images, likes, profile and relations, in the format
        Mastodon uses for its archives. It is made in the background and can be downloaded for 7 days.
      </p>
      <ArchiveStatus archive={props.archive} />
      {!busy && (
        <Form action="/settings/export" csrf={props.page.csrf} label="Make an archive">
          <button type="submit">{props.archive ? "Make a new archive" : "Make an archive"}</button>
        </Form>
      )}
      <h2>Lists as CSV</h2>
      <p>In the shapes Mastodon imports: open them in a spreadsheet, or import them on your next server.</p>
      <ul>
        {props.csvFiles.map((name) => <li><a href={`/settings/export/${name}`} download>{name}</a></li>)}
      </ul>
    </Layout>
  );
}
