/**
 * Member-written markdown to safe HTML. Raw HTML inside the markdown is treated as text
 * would be by the sanitizer: whatever survives the allowlist stays, the rest is dropped.
 */
import { Marked } from "marked";
import { sanitize } from "./sanitize.ts";

const marked = new Marked({ gfm: true, breaks: true, async: false });

export function renderMarkdown(source: string): string {
  return sanitize(marked.parse(source) as string);
}
