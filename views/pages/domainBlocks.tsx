/** The member's blocked domains: the list with a button to lift each block, and the form to add one. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import type { FormState } from "./auth.tsx";
import { CsrfField, ErrorBox, Field, Form, Notice } from "../components/forms.tsx";

export function DomainBlocksPage(props: { page: PageContext; domains: string[]; localDomain: string; state: FormState; notice?: string | null }) {
  return (
    <Layout page={props.page} title="Blocked domains">
      <Notice message={props.notice} />
      <ErrorBox message={props.state.error} />
      <p>
        Posts, boosts and notifications from every account on a domain you block leave your Home, lists, threads, search and
        notifications. Only you are affected, and nobody is told. To block one person, use the button on their profile.
      </p>
      <Form action="/settings/domain-blocks" csrf={props.page.csrf} label="Block a domain">
        <Field name="domain" label="Domain" value={props.state.values?.domain} required maxlength={253}
          hint={`Like example.social, without https://. Not ${props.localDomain}, this camp's own.`} error={props.state.field === "domain" ? props.state.error : null} />
        <button type="submit">Block domain</button>
      </Form>
      <h2>Domains you block</h2>
      {props.domains.length === 0 ? <p>You block no domains.</p> : (
        <ul class="filter-list">
          {props.domains.map((domain) => (
            <li>
              {domain}{" "}
              <form method="post" action="/settings/domain-blocks/unblock" class="inline link">
                <CsrfField csrf={props.page.csrf} />
                <input type="hidden" name="domain" value={domain} />
                <button type="submit">Unblock {domain}</button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
