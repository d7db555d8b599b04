/** The poll part of the compose form: up to eight options, single or multiple choice, and how long it runs. */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { MAX_OPTION_CHARS, MAX_OPTIONS } from "../../src/domain/polls/rules.ts";
import { escapeHtml } from "./markupText.ts";

export const POLL_DURATIONS: [seconds: number, label: string][] = [
  [300, "5 minutes"], [3600, "1 hour"], [6 * 3600, "6 hours"], [86400, "1 day"], [3 * 86400, "3 days"], [7 * 86400, "7 days"],
];

/** The poll's fields, folded away unless a poll was being written; drawn as a string (see markupText.ts). */
export function PollFields(props: { id: string; values: Record<string, string>; error?: string | null }): HtmlEscapedString {
  const v = props.values;
  const id = escapeHtml(props.id);
  const open = Array.from({ length: MAX_OPTIONS }, (_, i) => v[`poll_option_${i}`]).some(Boolean) || !!props.error;
  const error = props.error ? `<p class="field-error" id="${id}-poll-error">${escapeHtml(props.error)}</p>` : "";
  const options = Array.from({ length: MAX_OPTIONS }, (_, i) => `<div class="field"><label for="${id}-poll-${i}">Option ${i + 1}</label>`
    + `<input id="${id}-poll-${i}" type="text" name="poll_option_${i}" value="${escapeHtml(v[`poll_option_${i}`] ?? "")}" maxlength="${MAX_OPTION_CHARS}"${i === 0 ? ` aria-describedby="${id}-poll-hint"` : ""}/></div>`).join("");
  const durations = POLL_DURATIONS.map(([seconds, label]) => {
    const selected = v.poll_duration === String(seconds) || (!v.poll_duration && seconds === 86400);
    return `<option value="${seconds}"${selected ? ' selected=""' : ""}>${label}</option>`;
  }).join("");
  return raw(`<details class="poll-fields"${open ? ' open=""' : ""}><summary>Add a poll</summary>`
    + `<p class="hint" id="${id}-poll-hint">Fill in two to ${MAX_OPTIONS} options, each up to ${MAX_OPTION_CHARS} characters. Leave them empty for no poll.</p>${error}${options}`
    + `<label><input type="checkbox" name="poll_multiple" value="1"${v.poll_multiple === "1" ? ' checked=""' : ""}/> People may choose more than one</label>`
    + `<div class="field"><label for="${id}-poll-duration">Closes after</label><select id="${id}-poll-duration" name="poll_duration">${durations}</select></div></details>`);
}
