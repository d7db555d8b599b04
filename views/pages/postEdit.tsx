/** Editing a post (with an explicit choice to widen its audience), deleting it, and its earlier versions. */
import { raw } from "hono/html";
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import type { Audience } from "../../src/db/schema.ts";
import { MAX_CONTENT_WARNING, MAX_POST_CHARS } from "../../src/domain/posts/limits.ts";
import type { FormState } from "./auth.tsx";
import { AudienceSelect, AUDIENCE_LABELS } from "../components/audience.tsx";
import { CsrfField, ErrorBox, Field, Form } from "../components/forms.tsx";

export interface EditablePost {
  id: number;
  source: string;
  contentWarning: string;
  audience: Audience;
  campReply: boolean;
}

export function EditPostPage(props: { page: PageContext; post: EditablePost; state: FormState }) {
  const p = props.post;
  const v = props.state.values ?? {};
  const fieldError = (name: string) => (props.state.field === name ? props.state.error : null);
  return (
    <Layout page={props.page} title="Edit your post">
      <ErrorBox message={props.state.error} />
      <Form action={`/posts/${p.id}/edit`} csrf={props.page.csrf} label="Edit post">
        <Field name="contentWarning" label="Content warning (optional)" value={v.contentWarning ?? p.contentWarning} maxlength={MAX_CONTENT_WARNING}
          error={fieldError("contentWarning")} />
        <Field name="source" label="Text" value={v.source ?? p.source} multiline rows={8}
          hint={`Markdown works. Up to ${MAX_POST_CHARS} characters.`} error={fieldError("source")} />
        <AudienceSelect id="edit-audience" value={(v.audience as Audience) || p.audience} locked={p.campReply} />
        <p class="hint">Now: {AUDIENCE_LABELS[p.audience]}. Showing a post to more people than before needs the box below.</p>
        <div class="field checkbox">
          <input type="checkbox" id="confirm-widen" name="confirmWiden" value="yes" />
          <label for="confirm-widen">Yes, show it to more people</label>
          {fieldError("audience") && <p class="field-error">{fieldError("audience")}</p>}
        </div>
        <button type="submit">Save changes</button>
      </Form>
      <h2>Delete</h2>
      <form method="post" action={`/posts/${p.id}/delete`} aria-label="Delete post" class="danger">
        <CsrfField csrf={props.page.csrf} />
        <p>Deleting removes the post for everyone here and asks other servers to remove their copies.</p>
        <button type="submit">Delete this post</button>
      </form>
    </Layout>
  );
}

export function HistoryPage(props: { page: PageContext; postId: number; edits: { html: string; contentWarning: string; audience: Audience; replacedAt: number }[] }) {
  return (
    <Layout page={props.page} title="Earlier versions">
      <p><a href={`/posts/${props.postId}`}>Back to the post</a></p>
      {props.edits.length === 0 && <p>This post was never edited.</p>}
      <ol class="history">
        {props.edits.map((e) => (
          <li>
            <p class="meta">Replaced {new Date(e.replacedAt).toISOString().slice(0, 16).replace("T", " ")} UTC · {AUDIENCE_LABELS[e.audience]}</p>
            {e.contentWarning && <p><strong>Content warning:</strong> {e.contentWarning}</p>}
            <div class="content">{raw(e.html)}</div>
          </li>
        ))}
      </ol>
    </Layout>
  );
}
