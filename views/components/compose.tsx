/**
 * The form for a new post or a reply: text with a live character count, an optional content
 * warning, the audience, and up to four images each with its description.
 */
import type { Audience } from "../../src/db/schema.ts";
import { MAX_ATTACHMENTS, MAX_CONTENT_WARNING, MAX_POST_CHARS } from "../../src/domain/posts/limits.ts";
import type { FormState } from "../pages/auth.tsx";
import { AudienceSelect } from "./audience.tsx";
import { CsrfField, ErrorBox, Notice } from "./forms.tsx";
import { PollFields } from "./pollFields.tsx";

export interface ComposeProps {
  csrf: string;
  state: FormState;
  /** The post this answers, with its audience (a camp-only conversation stays in the camp). */
  replyTo?: { id: number; audience: Audience; acct: string } | null;
  /** Where the plain form returns after posting. */
  next: string;
  /** Which region htmx replaces with the answer: the form itself (Home) or the whole thread. */
  htmxTarget: "this" | "#thread";
  notice?: string | null;
}

function ImageSlots(props: { id: string }) {
  return (
    <details class="images">
      <summary>Add images (up to {MAX_ATTACHMENTS})</summary>
      <p class="hint">PNG, JPEG, GIF or WebP, at most 8 MB each. Location and camera details are removed before they are stored.</p>
      {Array.from({ length: MAX_ATTACHMENTS }, (_, i) => (
        <fieldset class="image-slot">
          <legend>Image {i + 1}</legend>
          <label for={`${props.id}-image-${i}`}>File</label>
          <input id={`${props.id}-image-${i}`} type="file" name="image" accept="image/png,image/jpeg,image/gif,image/webp" />
          <label for={`${props.id}-alt-${i}`}>Description for people who cannot see it</label>
          <input id={`${props.id}-alt-${i}`} type="text" name="alt" />
        </fieldset>
      ))}
    </details>
  );
}

export function ComposeForm(props: ComposeProps) {
  const v = props.state.values ?? {};
  const id = props.replyTo ? `reply-${props.replyTo.id}` : "compose";
  const fieldError = (name: string) => (props.state.field === name ? props.state.error : null);
  const sourceError = fieldError("source");
  const label = props.replyTo ? `Reply to @${props.replyTo.acct}` : "Write a post";
  return (
    <form method="post" action="/posts" enctype="multipart/form-data" class="compose" id={props.replyTo ? "reply" : "compose"}
      aria-label={props.replyTo ? "Your reply" : "New post"} hx-post="/posts" hx-target={props.htmxTarget} hx-swap="outerHTML">
      <CsrfField csrf={props.csrf} />
      <input type="hidden" name="next" value={props.next} />
      {props.replyTo && <input type="hidden" name="in_reply_to" value={String(props.replyTo.id)} />}
      {props.htmxTarget === "#thread" && <input type="hidden" name="view" value="thread" />}
      <Notice message={props.notice} />
      <ErrorBox message={props.state.error} />
      <div class="field">
        <label for={`${id}-cw`}>Content warning (optional)</label>
        <input id={`${id}-cw`} type="text" name="contentWarning" value={v.contentWarning ?? ""} maxlength={MAX_CONTENT_WARNING}
          aria-describedby={`${id}-cw-hint`} />
        <p class="hint" id={`${id}-cw-hint`}>If you fill this in, the post is folded behind it.</p>
      </div>
      <div class="field">
        <label for={`${id}-source`}>{label}</label>
        <textarea id={`${id}-source`} name="source" rows={props.replyTo ? 3 : 5} data-limit={MAX_POST_CHARS}
          aria-describedby={`${id}-source-hint ${id}-source-count${sourceError ? ` ${id}-source-error` : ""}`}
          aria-invalid={sourceError ? "true" : undefined}>{v.source ?? ""}</textarea>
        <p class="hint" id={`${id}-source-hint`}>Markdown works. Up to {MAX_POST_CHARS} characters. @handle mentions a member, #word makes a tag.</p>
        <p class="hint count" id={`${id}-source-count`} aria-live="polite"></p>
        {sourceError && <p class="field-error" id={`${id}-source-error`}>{sourceError}</p>}
      </div>
      <AudienceSelect id={`${id}-audience`} value={(v.audience as Audience) || "camp"} locked={props.replyTo?.audience === "camp"} />
      <ImageSlots id={id} />
      {!props.replyTo && <PollFields id={id} values={v} error={fieldError("poll")} />}
      <button type="submit">{props.replyTo ? "Reply" : "Post"}</button>
    </form>
  );
}
