/** The member's webhooks: add one (URL and events), see its secret and last deliveries, send a test, remove. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import type { FormState } from "./auth.tsx";
import { ErrorBox, Field, Form, Notice, PostButton } from "../components/forms.tsx";

export interface WebhookView {
  id: number;
  url: string;
  secret: string;
  events: string[];
  deliveries: { id: number; event: string; status: string; attempts: number; last_error: string | null; updated_at: number }[];
}

const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

function Delivery(props: { d: WebhookView["deliveries"][number] }) {
  const d = props.d;
  const status = d.status === "delivered" ? "delivered" : d.status === "failed" ? "failed, given up" : d.attempts === 0 ? "queued" : "retrying";
  return <li>{when(d.updated_at)}: {d.event}, {status}{d.attempts > 1 ? ` after ${d.attempts} attempts` : ""}{d.last_error ? ` (last error: ${d.last_error})` : ""}</li>;
}

export function WebhooksPage(props: { page: PageContext; hooks: WebhookView[]; events: Record<string, string>; state: FormState; notice?: string | null }) {
  const csrf = props.page.csrf;
  return (
    <Layout page={props.page} title="Your webhooks">
      <Notice message={props.notice} />
      <ErrorBox message={props.state.error} />
      <p>
        A webhook sends a signed JSON message to an address of yours when something happens, for example to post your new posts
        elsewhere. It sends only posts you may see yourself, but it sends camp-only posts too: wherever you point it, they go.
        The README's "Tie in your other sites" explains the message and how to check its signature.
      </p>
      <h2>Add a webhook</h2>
      <Form action="/settings/webhooks" csrf={csrf} label="Add a webhook">
        <Field name="url" label="Address to send to" type="url" value={props.state.values?.url} required error={props.state.field === "url" ? props.state.error : null} />
        <fieldset class="field">
          <legend>Send when</legend>
          {Object.entries(props.events).map(([value, label]) => (
            <div><input type="checkbox" id={`event-${value}`} name={`event:${value}`} value="1" /><label for={`event-${value}`} class="radio">{label}</label></div>
          ))}
        </fieldset>
        <button type="submit">Add webhook</button>
      </Form>
      <h2>Your webhooks</h2>
      {props.hooks.length === 0 ? <p>No webhooks yet.</p> : (
        <ul class="webhooks">
          {props.hooks.map((h) => (
            <li>
              <h3>{h.url}</h3>
              <p>Events: {h.events.map((e) => props.events[e] ?? e).join(", ")}</p>
              <p>Signing secret: <code>{h.secret}</code></p>
              <h4>Last deliveries</h4>
              {h.deliveries.length === 0 ? <p>None yet.</p> : <ul>{h.deliveries.map((d) => <Delivery d={d} />)}</ul>}
              <PostButton action={`/settings/webhooks/${h.id}/test`} csrf={csrf} label={`Send a test to ${h.url}`} />
              <PostButton action={`/settings/webhooks/${h.id}/delete`} csrf={csrf} label={`Remove the webhook to ${h.url}`} class="link" />
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
