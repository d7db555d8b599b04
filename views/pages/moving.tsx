/** Moving between accounts: aliases for arriving here, and the form for leaving to a new account. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { ErrorBox, Field, Form, Notice, PostButton } from "../components/forms.tsx";
import type { FormState } from "./auth.tsx";

export interface MovedTo {
  address: string;
  url: string;
}

/** The notice on a moved member's profile. */
export function MovedNotice(props: { moved: MovedTo | null; name: string }) {
  if (!props.moved) return null;
  return <p class="notice" role="status">{props.name} has moved to <a href={props.moved.url}>{props.moved.address}</a>.</p>;
}

export function MovingPage(props: {
  page: PageContext;
  self: string;
  aliases: { uri: string; address: string | null }[];
  moved: MovedTo | null;
  aliasState: FormState;
  moveState: FormState;
  notice?: string | null;
}) {
  const fieldError = (state: FormState, name: string) => (state.field === name ? state.error : null);
  return (
    <Layout page={props.page} title="Moving accounts">
      <Notice message={props.notice} />
      <h2>Moving here from another account</h2>
      <p>
        Name your old account as an alias of this one ({props.self}). Then start the move on your old server: your followers there
        will follow you here.
      </p>
      {props.aliases.length > 0 && (
        <ul aria-label="Your aliases">
          {props.aliases.map((a) => (
            <li>
              {a.address ?? a.uri} <PostButton action={`/settings/moving/aliases/remove?uri=${encodeURIComponent(a.uri)}`} csrf={props.page.csrf} label={`Remove ${a.address ?? "alias"}`} />
            </li>
          ))}
        </ul>
      )}
      <ErrorBox message={props.aliasState.error} />
      <Form action="/settings/moving/aliases" csrf={props.page.csrf} label="Add an alias">
        <Field name="alias" label="Your old account" hint="Like someone@mastodon.example" value={props.aliasState.values?.alias} required
          error={fieldError(props.aliasState, "alias")} />
        <button type="submit">Add alias</button>
      </Form>
      <h2>Moving to another account</h2>
      {props.moved ? <MovedNotice moved={props.moved} name="This account" /> : (
        <p>
          First, on your new account, add {props.self} as an alias. Then name the new account here: your followers elsewhere are told
          and follow it, your followers in this camp follow it too, and this profile points to it. You can move once every 30 days.
        </p>
      )}
      <ErrorBox message={props.moveState.error} />
      <Form action="/settings/moving/move" csrf={props.page.csrf} label="Move to another account">
        <Field name="target" label="Your new account" hint="Like someone@elsewhere.example" value={props.moveState.values?.target} required
          error={fieldError(props.moveState, "target")} />
        <Field name="password" label="Your password, to confirm" type="password" required autocomplete="current-password" error={fieldError(props.moveState, "password")} />
        <button type="submit">Move</button>
      </Form>
    </Layout>
  );
}
