/** The OAuth pages a member sees: approving an app, the code for apps without a browser, and the authorized apps. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { CsrfField, Notice, PostButton } from "../components/forms.tsx";

export interface ConsentView {
  appName: string;
  website: string | null;
  /** Each scope with what it lets the app do, in words. */
  scopes: { scope: string; meaning: string }[];
  /** The request's parameters, carried through the form unchanged. */
  hidden: Record<string, string>;
}

export function ConsentPage(props: { page: PageContext; consent: ConsentView }) {
  const c = props.consent;
  return (
    <Layout page={props.page} title="Allow an app?">
      <p><strong>{c.appName}</strong>{c.website && <> (<a href={c.website} rel="noopener nofollow">{c.website}</a>)</>} asks to use your account. It will be able to:</p>
      <ul>
        {c.scopes.map((s) => <li><code>{s.scope}</code>: {s.meaning}</li>)}
      </ul>
      <p>It sees only what you may see, and your camp-only posts stay in the camp. You can withdraw its access at any time under Settings, Apps.</p>
      <form method="post" action="/oauth/authorize" aria-label={`Allow ${c.appName}`}>
        <CsrfField csrf={props.page.csrf} />
        {Object.entries(c.hidden).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
        <button type="submit" name="decision" value="approve">Allow</button>{" "}
        <span class="secondary"><button type="submit" name="decision" value="deny">Deny</button></span>
      </form>
    </Layout>
  );
}

/** For `urn:ietf:wg:oauth:2.0:oob`: the app asks the member to copy the code. */
export function CodePage(props: { page: PageContext; appName: string; code: string }) {
  return (
    <Layout page={props.page} title="Your authorization code">
      <p>Copy this code and paste it into {props.appName}:</p>
      <p><label for="oauth-code">Authorization code</label><br />
        <input id="oauth-code" type="text" readonly value={props.code} size={50} /></p>
    </Layout>
  );
}

export interface AuthorizedAppView {
  appId: number;
  name: string;
  website: string | null;
  scopes: string[];
  authorizedAt: string;
  lastUsed: string;
}

export function AuthorizedAppsPage(props: { page: PageContext; apps: AuthorizedAppView[]; notice?: string | null }) {
  return (
    <Layout page={props.page} title="Apps you have authorized">
      <Notice message={props.notice} />
      <p>These apps can use your account through the Mastodon client API. Revoking one signs it out at once.</p>
      {props.apps.length === 0 ? <p>No apps yet. Sign in to this camp from an app such as Tusky, Ivory or Phanpy and it will be listed here.</p> : (
        <ul class="filter-list">
          {props.apps.map((a) => (
            <li>
              <strong>{a.name}</strong>{a.website && <> (<a href={a.website} rel="noopener nofollow">{a.website}</a>)</>}:{" "}
              {a.scopes.join(", ")}; authorized {a.authorizedAt}, last used {a.lastUsed}.{" "}
              <PostButton action={`/settings/apps/${a.appId}/revoke`} csrf={props.page.csrf} label={`Revoke ${a.name}`} class="link" />
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
