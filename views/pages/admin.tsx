/** The operator's pages: camp settings, invites, and looking after each member. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { ErrorBox, Field, Form, Notice, PostButton } from "../components/forms.tsx";
import type { FormState } from "./auth.tsx";

const fieldError = (state: FormState, name: string) => (state.field === name ? state.error : null);
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function AdminNav() {
  return (
    <nav aria-label="Admin">
      <ul class="tabs">
        <li><a href="/admin">Camp settings</a></li>
        <li><a href="/admin/invites">Invites</a></li>
        <li><a href="/admin/members">Members</a></li>
        <li><a href="/admin/federation">Federation</a></li>
        <li><a href="/admin/moderation">Moderation log</a></li>
        <li><a href="/admin/status">Status</a></li>
      </ul>
    </nav>
  );
}

export interface CampValues {
  name: string;
  description: string;
  rules: string;
  about: string;
  supportUrl: string;
}

export function CampSettingsPage(props: { page: PageContext; values: CampValues; state: FormState; notice?: string | null }) {
  const v = props.values;
  return (
    <Layout page={props.page} title="Camp settings">
      <AdminNav />
      <Notice message={props.notice} />
      <ErrorBox message={props.state.error} />
      <Form action="/admin" csrf={props.page.csrf} label="Camp settings">
        <Field name="name" label="Camp name" value={v.name} required maxlength={80} error={fieldError(props.state, "name")} />
        <Field name="description" label="Description" value={v.description} multiline rows={2} maxlength={500}
          hint="One or two sentences shown on the front page." error={fieldError(props.state, "description")} />
        <Field name="rules" label="Rules" value={v.rules} multiline rows={6} hint="Markdown." error={fieldError(props.state, "rules")} />
        <Field name="about" label="About page" value={v.about} multiline rows={8} hint="Markdown." error={fieldError(props.state, "about")} />
        <Field name="supportUrl" label="Support or dues link (optional)" type="url" value={v.supportUrl}
          error={fieldError(props.state, "supportUrl")} />
        <button type="submit">Save settings</button>
      </Form>
    </Layout>
  );
}

export interface InviteRow {
  id: number;
  note: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  used_by_handle: string | null;
}

function inviteState(invite: InviteRow, now: number) {
  if (invite.used_at) return `used by @${invite.used_by_handle ?? "someone since removed"} on ${date(invite.used_at)}`;
  if (invite.expires_at <= now) return "expired";
  return `open until ${date(invite.expires_at)}`;
}

export function InvitesPage(props: { page: PageContext; invites: InviteRow[]; newLink?: string | null; state: FormState; now: number }) {
  return (
    <Layout page={props.page} title="Invites">
      <AdminNav />
      {props.newLink && (
        <div class="notice" role="status">
          <p>Your new invite link. Send it to the person it is for; it works once.</p>
          <p><code class="link" id="new-invite-link">{props.newLink}</code></p>
        </div>
      )}
      <ErrorBox message={props.state.error} />
      <Form action="/admin/invites" csrf={props.page.csrf} label="New invite">
        <Field name="note" label="Who is it for?" value={props.state.values?.note} maxlength={500}
          hint="A private note, e.g. “Sam from the climbing group”." error={fieldError(props.state, "note")} />
        <Field name="days" label="Valid for (days)" type="number" value={props.state.values?.days ?? "7"} required
          error={fieldError(props.state, "days")} />
        <button type="submit">Create invite link</button>
      </Form>
      <h2>All invites</h2>
      {props.invites.length === 0 ? <p>No invites yet.</p> : (
        <table>
          <thead><tr><th scope="col">For</th><th scope="col">Created</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {props.invites.map((invite) => (
              <tr>
                <td>{invite.note || "(no note)"}</td>
                <td>{date(invite.created_at)}</td>
                <td>{inviteState(invite, props.now)}</td>
                <td>{!invite.used_at && invite.expires_at > props.now && (
                  <PostButton action={`/admin/invites/${invite.id}/revoke`} csrf={props.page.csrf} label="Revoke" />
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export interface AdminMemberRow {
  id: number;
  handle: string;
  display_name: string;
  role: string;
  suspended_at: number | null;
  created_at: number;
  operator_note: string;
  checklist: { profileFilledIn: boolean; firstPost: boolean; firstFollow: boolean };
}

const check = (done: boolean, label: string) => <li class={done ? "done" : "todo"}>{done ? "✓" : "○"} {label}<span class="visually-hidden">{done ? " (done)" : " (not yet)"}</span></li>;

function Checklist(props: { checklist: AdminMemberRow["checklist"] }) {
  return (
    <ul class="checklist" aria-label="Onboarding checklist">
      {check(props.checklist.profileFilledIn, "profile filled in")}
      {check(props.checklist.firstPost, "first post")}
      {check(props.checklist.firstFollow, "first follow")}
    </ul>
  );
}

export function MembersAdminPage(props: { page: PageContext; members: AdminMemberRow[] }) {
  return (
    <Layout page={props.page} title="Members">
      <AdminNav />
      <table>
        <thead><tr><th scope="col">Member</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Onboarding</th></tr></thead>
        <tbody>
          {props.members.map((m) => (
            <tr>
              <td><a href={`/admin/members/${m.id}`}>@{m.handle}</a> {m.display_name}</td>
              <td>{m.role}</td>
              <td>{m.suspended_at ? "suspended" : "active"}</td>
              <td><Checklist checklist={m.checklist} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

export function MemberAdminPage(props: { page: PageContext; member: AdminMemberRow; resetLink?: string | null; notice?: string | null; state: FormState }) {
  const m = props.member;
  const base = `/admin/members/${m.id}`;
  const isOperator = m.role === "operator";
  return (
    <Layout page={props.page} title={`@${m.handle}`}>
      <AdminNav />
      <Notice message={props.notice} />
      <ErrorBox message={props.state.error} />
      {props.resetLink && (
        <div class="notice" role="status">
          <p>Password-reset link for @{m.handle}. Hand it over in person; it works once, for two days.</p>
          <p><code class="link" id="reset-link">{props.resetLink}</code></p>
        </div>
      )}
      <p>{m.display_name} · {m.role} · {m.suspended_at ? `suspended since ${date(m.suspended_at)}` : "active"} · joined {date(m.created_at)}</p>
      <h2>Onboarding</h2>
      <Checklist checklist={m.checklist} />
      <h2>Private note</h2>
      <Form action={`${base}/note`} csrf={props.page.csrf} label="Private note">
        <Field name="note" label="Only you can see this note" value={props.state.values?.note ?? m.operator_note} multiline rows={4} maxlength={5000} />
        <button type="submit">Save note</button>
      </Form>
      <h2>Actions</h2>
      <div class="actions">
        <PostButton action={`${base}/reset-link`} csrf={props.page.csrf} label="Make a password-reset link" />
        {!isOperator && (m.role === "moderator"
          ? <PostButton action={`${base}/role/member`} csrf={props.page.csrf} label="Remove moderator role" />
          : <PostButton action={`${base}/role/moderator`} csrf={props.page.csrf} label="Make moderator" />)}
        {!isOperator && (m.suspended_at
          ? <PostButton action={`${base}/reinstate`} csrf={props.page.csrf} label="Reinstate" />
          : <PostButton action={`${base}/suspend`} csrf={props.page.csrf} label="Suspend" class="danger" />)}
        {!isOperator && <a href={`${base}/delete`}>Delete this account…</a>}
      </div>
    </Layout>
  );
}
