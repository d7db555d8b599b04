/** The operator's moderation page: whether moderators may suspend, and the log of every moderation action. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { Form, Notice } from "../components/forms.tsx";
import { AdminNav } from "./admin.tsx";
import type { AuditEntry, ModerationAction } from "../../src/domain/moderation/auditLog.ts";

const WHAT: Record<ModerationAction, string> = {
  "report.resolved": "resolved a report",
  "report.post_removed": "removed a reported post",
  "member.suspended": "suspended",
  "member.reinstated": "reinstated",
  "member.made_moderator": "made a moderator:",
  "member.made_member": "took the moderator role from",
  "domain.blocked": "blocked the domain in the note",
  "domain.allowed": "allowed the domain in the note",
  "domain.rule_removed": "lifted the rule on the domain in the note",
};

const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

function Entry(props: { entry: AuditEntry }) {
  const e = props.entry;
  return (
    <tr>
      <td><time datetime={new Date(e.createdAt).toISOString()}>{when(e.createdAt)} UTC</time></td>
      <td>{e.actor ? `@${e.actor}` : "someone no longer here"}</td>
      <td>
        {WHAT[e.action] ?? e.action}
        {e.target && <> <a href={e.targetId ? `/admin/members/${e.targetId}` : "#"}>@{e.target}</a></>}
        {e.reportId !== null && <> (report {e.reportId})</>}
      </td>
      <td>{e.note}</td>
    </tr>
  );
}

export function ModerationAdminPage(props: { page: PageContext; moderatorsMaySuspend: boolean; entries: AuditEntry[]; notice?: string | null }) {
  return (
    <Layout page={props.page} title="Moderation log">
      <AdminNav />
      <Notice message={props.notice} />
      <Form action="/admin/moderation/settings" csrf={props.page.csrf} label="Moderators">
        <label>
          <input type="checkbox" name="moderatorsMaySuspend" value="1" checked={props.moderatorsMaySuspend} /> Moderators may suspend and reinstate members
        </label>
        <button type="submit">Save</button>
      </Form>
      <h2>Every moderation action, newest first</h2>
      {props.entries.length === 0 ? <p class="empty">Nothing has been moderated yet.</p> : (
        <table>
          <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Note</th></tr></thead>
          <tbody>{props.entries.map((entry) => <Entry entry={entry} />)}</tbody>
        </table>
      )}
    </Layout>
  );
}
