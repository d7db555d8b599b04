/** Member pages: the directory, a profile, and the member's own settings. */
import { raw } from "hono/html";
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { ErrorBox, Field, Form, Notice } from "../components/forms.tsx";
import type { FormState } from "./auth.tsx";
import { defaultAvatar } from "../components/defaultAvatar.ts";
import { TimeZoneForm } from "../components/timeZoneForm.tsx";

const fieldError = (state: FormState, name: string) => (state.field === name ? state.error : null);

export interface MemberCard {
  handle: string;
  display_name: string;
  avatarUrl: string | null;
  role: string;
}

/** A person's picture, or their initials on their own colour when they have none. */
export function Avatar(props: { url: string | null; size?: number; name: string; handle: string }) {
  const size = props.size ?? 48;
  return props.url
    ? <img class="avatar" src={props.url} alt="" width={size} height={size} />
    : defaultAvatar(props.name, props.handle, size);
}

export function DirectoryPage(props: { page: PageContext; members: MemberCard[] }) {
  return (
    <Layout page={props.page} title="Members">
      <p><a href="/remote">Find and follow people on other servers</a></p>
      <ul class="directory">
        {props.members.map((m) => (
          <li>
            <Avatar url={m.avatarUrl} name={m.display_name} handle={m.handle} />
            <a href={`/@${m.handle}`}>{m.display_name}</a> <span class="handle">@{m.handle}</span>
            {m.role !== "member" && <span class="badge">{m.role}</span>}
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** The profile header; views/pages/profile.tsx adds the follow buttons and the member's posts below it. */
export function ProfileHeader(props: { member: MemberCard & { bio_html: string }; domain: string }) {
  const m = props.member;
  return (
    <section class="profile" aria-label="Profile">
      <Avatar url={m.avatarUrl} size={96} name={m.display_name} handle={m.handle} />
      <p class="handle">@{m.handle}@{props.domain}</p>
      <div class="bio">{raw(m.bio_html)}</div>
    </section>
  );
}

export function SettingsPage(props: {
  page: PageContext;
  profile: { displayName: string; bio: string; avatarUrl: string | null; timeZone: string | null };
  state: FormState;
  notice?: string | null;
}) {
  const p = props.profile;
  return (
    <Layout page={props.page} title="Your settings">
      <Notice message={props.notice} />
      <ErrorBox message={props.state.error} />
      <p><a href="/settings/feeds">Your feeds</a>: tie in your blog, photos or code host, and see each feed's last check.</p>
      <p><a href="/settings/webhooks">Your webhooks</a>: send your new posts, replies and mentions to your other sites.</p>
      <p><a href="/saved">Saved posts</a>: the posts you saved, visible only to you.</p>
      <p><a href="/lists">Lists and followed tags</a>: group people you follow and read them together; see the tags you follow.</p>
      <p><a href="/settings/domain-blocks">Blocked domains</a>: stop seeing posts and notifications from a whole server.</p>
      <h2>Profile</h2>
      <Form action="/settings/profile" csrf={props.page.csrf} label="Profile">
        <Field name="displayName" label="Display name" value={props.state.values?.displayName ?? p.displayName} required maxlength={80}
          error={fieldError(props.state, "displayName")} />
        <Field name="bio" label="Bio" value={props.state.values?.bio ?? p.bio} multiline rows={5} maxlength={2000}
          hint="Markdown: **bold**, *italic*, [links](https://example.org)." error={fieldError(props.state, "bio")} />
        <button type="submit">Save profile</button>
      </Form>
      <h2>Avatar</h2>
      <Avatar url={p.avatarUrl} size={96} name={p.displayName} handle={props.page.viewer?.handle ?? ""} />
      <Form action="/settings/avatar" csrf={props.page.csrf} multipart label="Avatar">
        <Field name="avatar" label="Choose an image" type="file" accept="image/png,image/jpeg,image/gif,image/webp" required
          hint="PNG, JPEG, GIF or WebP, at most 2 MB." error={fieldError(props.state, "avatar")} />
        <button type="submit">Upload avatar</button>
      </Form>
      <h2>Time zone</h2>
      <TimeZoneForm csrf={props.page.csrf} zone={p.timeZone} error={fieldError(props.state, "timeZone")} />
      <h2>Password</h2>
      <Form action="/settings/password" csrf={props.page.csrf} label="Change password">
        <Field name="current" label="Current password" type="password" required autocomplete="current-password" error={fieldError(props.state, "current")} />
        <Field name="password" label="New password" type="password" required autocomplete="new-password" hint="At least 10 characters." error={fieldError(props.state, "password")} />
        <button type="submit">Change password</button>
      </Form>
      <YourDataLinks />
      <h2>Apps</h2>
      <p><a href="/settings/apps">Apps you have authorized</a> to use your account (Tusky, Ivory, Phanpy...)</p>
    </Layout>
  );
}

/** Where a member takes their data out, brings it in, moves, or leaves. */
function YourDataLinks() {
  return (
    <section aria-labelledby="your-data">
      <h2 id="your-data">Your data</h2>
      <ul>
        <li><a href="/settings/export">Export your data</a>: an archive of your posts and images, and your lists as CSV</li>
        <li><a href="/settings/import">Import from another server</a>: follows, blocks, mutes, blocked domains, lists and bookmarks from CSV files</li>
        <li><a href="/settings/moving">Moving accounts</a>: arrive from your old account, or move to a new one</li>
        <li><a href="/settings/delete">Delete your account</a></li>
      </ul>
    </section>
  );
}

export function AboutPage(props: { page: PageContext; camp: { name: string; description: string; rulesHtml: string; aboutHtml: string; supportUrl: string | null } }) {
  const camp = props.camp;
  return (
    <Layout page={props.page} title={`About ${camp.name}`}>
      {camp.description && <p class="lead">{camp.description}</p>}
      {camp.aboutHtml && <section aria-label="About">{raw(camp.aboutHtml)}</section>}
      {camp.rulesHtml && (
        <section aria-labelledby="rules-heading">
          <h2 id="rules-heading">Rules</h2>
          {raw(camp.rulesHtml)}
        </section>
      )}
      {camp.supportUrl && <p><a href={camp.supportUrl} rel="noopener">Support this camp</a></p>}
    </Layout>
  );
}

export function WelcomePage(props: { page: PageContext; description: string }) {
  return (
    <Layout page={props.page} title={props.page.campName}>
      {props.description && <p class="lead">{props.description}</p>}
      <p>This is a private camp. Members can <a href="/login">log in</a>; joining is by invitation.</p>
    </Layout>
  );
}
