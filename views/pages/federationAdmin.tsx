/** The operator's federation page: open or allowlist mode, authorized fetch, domain rules, and a link to the report queue. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { ErrorBox, Field, Form, Notice, PostButton } from "../components/forms.tsx";
import { AdminNav } from "./admin.tsx";

export interface FederationAdminProps {
  page: PageContext;
  mode: "open" | "allowlist";
  authorizedFetch: boolean;
  rules: { domain: string; policy: "block" | "allow" }[];
  error?: string | null;
  notice?: string | null;
}

export function FederationAdminPage(props: FederationAdminProps) {
  const csrf = props.page.csrf;
  return (
    <Layout page={props.page} title="Federation">
      <AdminNav />
      <Notice message={props.notice} />
      <ErrorBox message={props.error} />
      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">Who the camp talks to</h2>
        <Form action="/admin/federation/settings" csrf={csrf} label="Federation settings">
          <fieldset>
            <legend>Federation mode</legend>
            <label><input type="radio" name="mode" value="open" checked={props.mode === "open"} /> Open: every server except blocked domains</label>
            <label><input type="radio" name="mode" value="allowlist" checked={props.mode === "allowlist"} /> Allowlist: only the domains allowed below</label>
          </fieldset>
          <label><input type="checkbox" name="authorizedFetch" value="1" checked={props.authorizedFetch} /> Authorized fetch: answer only signed requests from servers that are not blocked</label>
          <button type="submit">Save</button>
        </Form>
      </section>
      <section aria-labelledby="rules-heading">
        <h2 id="rules-heading">Domain rules</h2>
        {props.rules.length === 0 ? <p class="empty">No domain is blocked or allowed yet.</p> : (
          <table>
            <thead><tr><th scope="col">Domain</th><th scope="col">Rule</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
            <tbody>
              {props.rules.map((r) => (
                <tr>
                  <td>{r.domain}</td>
                  <td>{r.policy === "block" ? "Blocked" : "Allowed"}</td>
                  <td><PostButton action={`/admin/federation/rules/${encodeURIComponent(r.domain)}/remove`} csrf={csrf} label={`Remove rule for ${r.domain}`} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Form action="/admin/federation/rules" csrf={csrf} label="Add a domain rule">
          <Field name="domain" label="Domain" hint="Like example.social; a rule covers its subdomains too." required />
          <fieldset>
            <legend>Rule</legend>
            <label><input type="radio" name="policy" value="block" checked /> Block: refuse its activities, hide its accounts and posts, stop delivering</label>
            <label><input type="radio" name="policy" value="allow" /> Allow (for allowlist mode)</label>
          </fieldset>
          <button type="submit">Add rule</button>
        </Form>
      </section>
      <p>Reports from members and from other servers are in the <a href="/moderation/reports">report queue</a>.</p>
    </Layout>
  );
}
