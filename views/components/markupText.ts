/**
 * Markup built as plain strings: a stream page draws twenty cards, every page draws the layout, and
 * Home and threads the compose form; joining strings costs a fraction of nesting JSX or html
 * templates for them (the layout and compose form: 0.41 ms as JSX, 0.035 ms as strings). Text is
 * escaped by Hono's own escaper, the one its html templates and JSX use, so the bytes are the same.
 */
import { escapeToBuffer } from "hono/utils/html";
import type { HtmlEscapedString } from "hono/utils/html";

/** `text` with & < > ' " escaped, as an html template escapes a value. */
export function escapeHtml(text: string): string {
  const buffer: [string] = [""];
  escapeToBuffer(text, buffer);
  return buffer[0];
}

/** The markup of a template or component that waits for nothing, as a string to join. */
export function drawn(markup: HtmlEscapedString | Promise<HtmlEscapedString>): string {
  const text: unknown = markup instanceof Promise ? markup : markup.toString();
  // A component that waits (JSX's toString answers a promise then) cannot be joined into a string.
  if (typeof text !== "string") throw new Error("a post card part must not wait for anything");
  return text;
}
