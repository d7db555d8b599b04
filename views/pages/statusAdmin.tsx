/** The operator's status page: the same facts as /readyz and `kith doctor`, in words. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { AdminNav } from "./admin.tsx";

export interface StatusFacts {
  version: string;
  now: number;
  problems: string[];
  queue: { queued: number; overdue: number; failing: number; lastError: string | null; oldestDueAt: number | null } | null;
  unreachable: { domain: string; failingSince: number | null; inboxes: number }[];
  localBackup: { at: number; file: string } | null;
  offsite: { target: string; lastSuccessAt: number | null; lastSuccessName: string | null; lastError: string | null } | null;
  verify: { at: number; ok: boolean; summary: string } | null;
  disk: { freeBytes: number; totalBytes: number };
  databaseBytes: number;
}

const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
const size = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`);

/** "3 hours ago", "2 days ago": how long since `then`. */
function ago(then: number, now: number): string {
  const minutes = Math.max(0, Math.round((now - then) / 60_000));
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"} ago`;
  return `${Math.round(hours / 24)} days ago`;
}

function Queue(props: { queue: StatusFacts["queue"]; now: number }) {
  const q = props.queue;
  if (!q) return <p>The queue could not be read.</p>;
  return (
    <ul>
      <li>{q.queued === 0 ? "Nothing is waiting to be delivered." : `${q.queued} job${q.queued === 1 ? "" : "s"} waiting.`}</li>
      {q.oldestDueAt !== null && <li>The oldest was due {ago(q.oldestDueAt, props.now)}.</li>}
      {q.overdue > 0 && <li>{q.overdue} overdue: is the delivery worker stuck? Look at the log.</li>}
      {q.failing > 0 && <li>{q.failing} keep failing and are retried; the latest error: {q.lastError ?? "none recorded"}</li>}
    </ul>
  );
}

function Backups(props: { facts: StatusFacts }) {
  const { localBackup, offsite, verify, now } = props.facts;
  return (
    <ul>
      <li>{localBackup ? <>Last backup {ago(localBackup.at, now)} ({when(localBackup.at)}) to <code>{localBackup.file}</code>.</> : "No backup has been made on this machine yet."}</li>
      {offsite === null ? <li>No off-site copy is set up (see the README: off-site backups).</li> : (
        <li>
          Off-site copies go to <code>{offsite.target}</code>.{" "}
          {offsite.lastSuccessAt ? <>The newest, {offsite.lastSuccessName}, was made {ago(offsite.lastSuccessAt, now)}.</> : "None has succeeded yet."}
          {offsite.lastError && <> The last attempt failed: {offsite.lastError}</>}
        </li>
      )}
      {verify && <li>The last restore drill ({ago(verify.at, now)}) {verify.ok ? "passed" : "FAILED"}: {verify.summary}</li>}
    </ul>
  );
}

export function StatusAdminPage(props: { page: PageContext; facts: StatusFacts }) {
  const f = props.facts;
  return (
    <Layout page={props.page} title="Status">
      <AdminNav />
      {f.problems.length === 0 ? <p class="notice" role="status">All is well: nothing needs you.</p> : (
        <div class="error" role="alert">
          <p>Needs your attention:</p>
          <ul>{f.problems.map((p) => <li>{p}</li>)}</ul>
        </div>
      )}
      <h2>Deliveries</h2>
      <Queue queue={f.queue} now={f.now} />
      <h2>Servers unreachable</h2>
      {f.unreachable.length === 0 ? <p>Every server we deliver to has answered lately.</p> : (
        <ul>
          {f.unreachable.map((s) => (
            <li>{s.domain}: unreachable{s.failingSince ? ` since ${when(s.failingSince)}` : ""}; its deliveries wait until it answers again.</li>
          ))}
        </ul>
      )}
      <h2>Backups</h2>
      <Backups facts={f} />
      <h2>This machine</h2>
      <ul>
        <li>Disk: {size(f.disk.freeBytes)} free of {size(f.disk.totalBytes)}.</li>
        <li>Database: {size(f.databaseBytes)}.</li>
        <li>Kith version {f.version}.</li>
      </ul>
    </Layout>
  );
}
