/**
 * Form parts every page shares: the CSRF field, labelled inputs, error and notice boxes. The small
 * parts the layout and the compose form use on every page are joined strings (see markupText.ts).
 */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { HtmlEscapedString } from "hono/utils/html";
import { escapeHtml } from "./markupText.ts";

export function CsrfField(props: { csrf: string }): HtmlEscapedString {
  return raw(`<input type="hidden" name="_csrf" value="${escapeHtml(props.csrf)}"/>`);
}

/** A one-button form for actions such as logging out: works without JavaScript. */
export function PostButton(props: { action: string; csrf: string; label: string; class?: string }): HtmlEscapedString {
  return raw(`<form method="post" action="${escapeHtml(props.action)}" class="${escapeHtml(`inline ${props.class ?? ""}`)}">${CsrfField(props)}<button type="submit">${escapeHtml(props.label)}</button></form>`);
}

/** The form's error, announced at once; nothing without one. */
export function ErrorBox(props: { message?: string | null }): HtmlEscapedString {
  return raw(props.message ? `<p class="error" role="alert" id="form-error">${escapeHtml(props.message)}</p>` : "");
}

/** What just happened ("Saved."), announced politely; nothing without one. */
export function Notice(props: { message?: string | null }): HtmlEscapedString {
  return raw(props.message ? `<p class="notice" role="status">${escapeHtml(props.message)}</p>` : "");
}

interface FieldProps {
  name: string;
  label: string;
  value?: string;
  type?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  multiline?: boolean;
  rows?: number;
  maxlength?: number;
  accept?: string;
  error?: string | null;
}

/** A labelled input or textarea, with its hint and error tied to it for screen readers. */
export function Field(props: FieldProps) {
  const id = `field-${props.name}`;
  const describedBy = [props.hint && `${id}-hint`, props.error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    name: props.name,
    required: props.required,
    maxlength: props.maxlength,
    "aria-describedby": describedBy,
    "aria-invalid": props.error ? "true" : undefined,
  };
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint && <p class="hint" id={`${id}-hint`}>{props.hint}</p>}
      {props.multiline ? (
        <textarea {...common} rows={props.rows ?? 4}>{props.value ?? ""}</textarea>
      ) : (
        <input {...common} type={props.type ?? "text"} value={props.type === "file" ? undefined : props.value} autocomplete={props.autocomplete} accept={props.accept} />
      )}
      {props.error && <p class="field-error" id={`${id}-error`}>{props.error}</p>}
    </div>
  );
}

export function Form(props: { action: string; csrf: string; children: Child; multipart?: boolean; label?: string }) {
  return (
    <form method="post" action={props.action} enctype={props.multipart ? "multipart/form-data" : undefined} aria-label={props.label}>
      <CsrfField csrf={props.csrf} />
      {props.children}
    </form>
  );
}
