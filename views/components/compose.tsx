/**
 * The form for a new post or a reply: the text first (with a live character count), then a content
 * warning behind a "CW" toggle, up to four images each with its description, the audience, and a
 * button that says where the post goes.
 */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Audience } from "../../src/db/schema.ts";
import { MAX_ATTACHMENTS, MAX_CONTENT_WARNING, MAX_POST_CHARS } from "../../src/domain/posts/limits.ts";
import type { FormState } from "../pages/auth.tsx";
import { AudienceSelect } from "./audience.tsx";
import { CsrfField, ErrorBox, Notice } from "./forms.tsx";
import { PollFields } from "./pollFields.tsx";
import { escapeHtml } from "./markupText.ts";

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

function imageSlotsOf(id: string): string {
  const slots = Array.from({ length: MAX_ATTACHMENTS }, (_, i) => `<fieldset class="image-slot"><legend>Image ${i + 1}</legend>`
    + `<label for="${id}-image-${i}">File</label><input id="${id}-image-${i}" type="file" name="image" accept="image/png,image/jpeg,image/gif,image/webp"/>`
    + `<label for="${id}-alt-${i}">Description for people who cannot see it</label><input id="${id}-alt-${i}" type="text" name="alt"/></fieldset>`).join("");
  return `<details class="images"><summary>Add images (up to ${MAX_ATTACHMENTS})</summary>`
    + `<p class="hint">PNG, JPEG, GIF or WebP, at most 8 MB each. Location and camera details are removed before they are stored.</p>${slots}</details>`;
}

const SUBMIT_LABELS: Record<Audience, { post: string; reply: string }> = {
  camp: { post: "Post to the camp", reply: "Reply in the camp" },
  followers: { post: "Post to followers", reply: "Reply to followers" },
  unlisted: { post: "Post unlisted", reply: "Reply unlisted" },
  public: { post: "Post publicly", reply: "Reply publicly" },
  direct: { post: "Send to those mentioned", reply: "Reply privately" },
};

/**
 * The button names the audience ("Post to the camp", "Post publicly"). Every label is in the markup;
 * the stylesheet shows the one matching the selected audience (`:has`), so it follows the choice
 * without JavaScript. `only` renders just the one label (a reply whose audience is fixed).
 */
function submitButtonOf(reply: boolean, audience: Audience, only: boolean): string {
  const audiences = only ? [audience] : (Object.keys(SUBMIT_LABELS) as Audience[]);
  const labels = audiences.map((a) =>
    `<span class="submit-label for-${a}${a === audience ? " current" : ""}">${SUBMIT_LABELS[a][reply ? "reply" : "post"]}</span>`).join("");
  return `<div class="compose-submit"><button type="submit">${labels}</button></div>`;
}

/** The form, drawn as joined strings (it is on Home and every thread page; see markupText.ts). */
export function ComposeForm(props: ComposeProps): HtmlEscapedString {
  const v = props.state.values ?? {};
  const id = props.replyTo ? `reply-${props.replyTo.id}` : "compose";
  const fieldError = (name: string) => (props.state.field === name ? props.state.error : null);
  const sourceError = fieldError("source");
  const label = props.replyTo ? `Reply to @${props.replyTo.acct}` : "Write a post";
  const locked = props.replyTo?.audience === "camp";
  const audience = (v.audience as Audience) || "camp";
  const cwOpen = !!v.contentWarning || fieldError("contentWarning") !== null;
  const describedBy = `${id}-source-hint ${id}-source-count${sourceError ? ` ${id}-source-error` : ""}`;
  return raw(`<form method="post" action="/posts" enctype="multipart/form-data" class="compose" id="${props.replyTo ? "reply" : "compose"}"`
    + ` aria-label="${props.replyTo ? "Your reply" : "New post"}" hx-post="/posts" hx-target="${escapeHtml(props.htmxTarget)}" hx-swap="outerHTML">`
    + `${CsrfField({ csrf: props.csrf })}<input type="hidden" name="next" value="${escapeHtml(props.next)}"/>`
    + (props.replyTo ? `<input type="hidden" name="in_reply_to" value="${props.replyTo.id}"/>` : "")
    + (props.htmxTarget === "#thread" ? '<input type="hidden" name="view" value="thread"/>' : "")
    + `${Notice({ message: props.notice })}${ErrorBox({ message: props.state.error })}`
    + `<div class="field"><label for="${id}-source">${escapeHtml(label)}</label>`
    + `<textarea id="${id}-source" name="source" rows="${props.replyTo ? 3 : 5}" data-limit="${MAX_POST_CHARS}" aria-describedby="${describedBy}"${sourceError ? ' aria-invalid="true"' : ""}>${escapeHtml(v.source ?? "")}</textarea>`
    + `<p class="hint" id="${id}-source-hint">Markdown works. Up to ${MAX_POST_CHARS} characters. @handle mentions a member, #word makes a tag.</p>`
    + `<p class="hint count" id="${id}-source-count" aria-live="polite"></p>`
    + (sourceError ? `<p class="field-error" id="${id}-source-error">${escapeHtml(sourceError)}</p>` : "")
    + `</div><div class="compose-tools"><details class="cw-toggle"${cwOpen ? ' open=""' : ""}><summary>CW<span class="visually-hidden"> (content warning)</span></summary>`
    + `<div class="field"><label for="${id}-cw">Content warning (optional)</label>`
    + `<input id="${id}-cw" type="text" name="contentWarning" value="${escapeHtml(v.contentWarning ?? "")}" maxlength="${MAX_CONTENT_WARNING}" aria-describedby="${id}-cw-hint"/>`
    + `<p class="hint" id="${id}-cw-hint">If you fill this in, the post is folded behind it.</p></div></details>`
    + imageSlotsOf(id)
    + (props.replyTo ? "" : PollFields({ id, values: v, error: fieldError("poll") }))
    + `</div>${AudienceSelect({ id: `${id}-audience`, value: audience, locked })}${submitButtonOf(!!props.replyTo, locked ? "camp" : audience, locked)}</form>`);
}
