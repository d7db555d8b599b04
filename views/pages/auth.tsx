/** Pages for getting in: first-run setup, joining with an invite, logging in, resetting a password. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { ErrorBox, Field, Form, Notice } from "../components/forms.tsx";

export interface FormState {
  error?: string | null;
  field?: string;
  values?: Record<string, string>;
}

const fieldError = (state: FormState, name: string) => (state.field === name ? state.error : null);

function NewAccountFields(props: { state: FormState }) {
  const v = props.state.values ?? {};
  return (
    <>
      <Field name="handle" label="Handle" value={v.handle} required autocomplete="username" maxlength={30}
        hint="Letters, digits and underscores; this is your @name here." error={fieldError(props.state, "handle")} />
      <Field name="displayName" label="Display name" value={v.displayName} autocomplete="nickname" maxlength={80}
        error={fieldError(props.state, "displayName")} />
      <Field name="password" label="Password" type="password" required autocomplete="new-password"
        hint="At least 10 characters." error={fieldError(props.state, "password")} />
    </>
  );
}

export function SetupPage(props: { page: PageContext; token: string; state: FormState }) {
  return (
    <Layout page={props.page} title="Set up your camp">
      <p>You are the first person here, so you become the camp's operator. Choose your handle and password.</p>
      <ErrorBox message={props.state.field ? null : props.state.error} />
      <Form action={`/setup/${props.token}`} csrf={props.page.csrf} label="Become the operator">
        <NewAccountFields state={props.state} />
        <button type="submit">Create the operator account</button>
      </Form>
    </Layout>
  );
}

export function JoinPage(props: { page: PageContext; token: string; campName: string; state: FormState }) {
  return (
    <Layout page={props.page} title={`Join ${props.campName}`}>
      <p>You were invited. Choose how you will appear here.</p>
      <ErrorBox message={props.state.field ? null : props.state.error} />
      <Form action={`/join/${props.token}`} csrf={props.page.csrf} label="Join the camp">
        <NewAccountFields state={props.state} />
        <button type="submit">Join</button>
      </Form>
    </Layout>
  );
}

export function LoginPage(props: { page: PageContext; next: string; state: FormState; notice?: string | null }) {
  const v = props.state.values ?? {};
  return (
    <Layout page={props.page} title="Log in">
      <Notice message={props.notice} />
      <ErrorBox message={props.state.error} />
      <Form action={`/login?next=${encodeURIComponent(props.next)}`} csrf={props.page.csrf} label="Log in">
        <Field name="handle" label="Handle" value={v.handle} required autocomplete="username" />
        <Field name="password" label="Password" type="password" required autocomplete="current-password" />
        <button type="submit">Log in</button>
      </Form>
      <p>Forgot your password? Ask the person who runs the camp for a reset link.</p>
    </Layout>
  );
}

export function ResetPage(props: { page: PageContext; token: string; handle: string; state: FormState }) {
  return (
    <Layout page={props.page} title="Choose a new password">
      <p>Choose a new password for <strong>@{props.handle}</strong>.</p>
      <ErrorBox message={props.state.field ? null : props.state.error} />
      <Form action={`/reset/${props.token}`} csrf={props.page.csrf} label="New password">
        <Field name="password" label="New password" type="password" required autocomplete="new-password"
          hint="At least 10 characters." error={fieldError(props.state, "password")} />
        <button type="submit">Save the new password</button>
      </Form>
    </Layout>
  );
}

/** A page that only says what went wrong, for links that cannot be used. */
export function ProblemPage(props: { page: PageContext; title: string; message: string }) {
  return (
    <Layout page={props.page} title={props.title}>
      <p role="alert">{props.message}</p>
      <p><a href="/">Go to the front page</a></p>
    </Layout>
  );
}
