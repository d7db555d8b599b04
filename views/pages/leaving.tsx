/** Deleting an account: what goes, what stays, and a form that asks for the handle to confirm. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { ErrorBox, Field, Form } from "../components/forms.tsx";
import type { FormState } from "./auth.tsx";

export function DeleteAccountPage(props: { page: PageContext; handle: string; action: string; byOperator: boolean; state: FormState }) {
  const whose = props.byOperator ? `@${props.handle}'s` : "your";
  return (
    <Layout page={props.page} title={props.byOperator ? `Delete @${props.handle}` : "Delete your account"}>
      <ErrorBox message={props.state.error} />
      <p>This deletes {whose} account for good. It cannot be undone.</p>
      <ul>
        <li>Every post, image, like, follow, block and mute of {whose} account is removed from this camp.</li>
        <li>Servers elsewhere that know the account are told it is deleted.</li>
        <li>The handle @{props.handle} stays reserved: nobody can take it over.</li>
      </ul>
      {!props.byOperator && <p>Want to keep your posts? <a href="/settings/export">Download an archive</a> first.</p>}
      <Form action={props.action} csrf={props.page.csrf} label="Delete account">
        <Field name="confirm" label={`Type the handle, ${props.handle}, to confirm`} required autocomplete="off"
          error={props.state.field === "confirm" ? props.state.error : null} />
        <button type="submit" class="danger">Delete the account</button>
      </Form>
    </Layout>
  );
}

export function AccountDeletedPage(props: { page: PageContext; handle: string; byOperator: boolean }) {
  return (
    <Layout page={props.page} title="Account deleted">
      <p role="status">{props.byOperator ? `@${props.handle}'s account is deleted.` : "Your account is deleted. Thank you for having been part of the camp."}</p>
      {props.byOperator ? <p><a href="/admin/members">Back to the members</a></p> : <p><a href="/">Home</a></p>}
    </Layout>
  );
}
