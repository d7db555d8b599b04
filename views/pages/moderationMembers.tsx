/** The moderators' list of members, where they suspend and reinstate (the operator decides whether they may). */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { CsrfField, ErrorBox, Notice } from "../components/forms.tsx";
import { MAX_NOTE } from "../../src/domain/moderation/auditLog.ts";

export interface ModeratedMember {
  id: number;
  handle: string;
  display_name: string;
  role: string;
  suspended_at: number | null;
}

/** Suspend or reinstate one member, with an optional note for the audit log. */
function SuspensionForm(props: { member: ModeratedMember; csrf: string }) {
  const m = props.member;
  const verb = m.suspended_at ? "reinstate" : "suspend";
  const id = `note-${m.id}`;
  return (
    <form method="post" action={`/moderation/members/${m.id}/${verb}`} class="inline">
      <CsrfField csrf={props.csrf} />
      <label for={id}>Note (optional)</label>
      <input id={id} name="note" type="text" maxlength={MAX_NOTE} />
      <button type="submit" class={m.suspended_at ? undefined : "danger"}>{m.suspended_at ? "Reinstate" : "Suspend"} @{m.handle}</button>
    </form>
  );
}

export function ModerationMembersPage(props: { page: PageContext; members: ModeratedMember[]; notice?: string | null; error?: string | null }) {
  return (
    <Layout page={props.page} title="Suspend or reinstate members">
      <p><a href="/moderation/reports">Back to the reports</a></p>
      <Notice message={props.notice} />
      <ErrorBox message={props.error} />
      <p>A suspended member cannot log in and their posts are hidden until they are reinstated. The operator reads every suspension in the audit log.</p>
      <table>
        <thead><tr><th scope="col">Member</th><th scope="col">State</th><th scope="col">Action</th></tr></thead>
        <tbody>
          {props.members.map((m) => (
            <tr>
              <td><a href={`/@${m.handle}`}>@{m.handle}</a> {m.display_name}</td>
              <td>{m.suspended_at ? "suspended" : "active"}</td>
              <td><SuspensionForm member={m} csrf={props.page.csrf} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
