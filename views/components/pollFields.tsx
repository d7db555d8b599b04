/** The poll part of the compose form: up to eight options, single or multiple choice, and how long it runs. */
import { MAX_OPTION_CHARS, MAX_OPTIONS } from "../../src/domain/polls/rules.ts";

export const POLL_DURATIONS: [seconds: number, label: string][] = [
  [300, "5 minutes"], [3600, "1 hour"], [6 * 3600, "6 hours"], [86400, "1 day"], [3 * 86400, "3 days"], [7 * 86400, "7 days"],
];

export function PollFields(props: { id: string; values: Record<string, string>; error?: string | null }) {
  const v = props.values;
  const open = Array.from({ length: MAX_OPTIONS }, (_, i) => v[`poll_option_${i}`]).some(Boolean) || !!props.error;
  return (
    <details class="poll-fields" open={open}>
      <summary>Add a poll</summary>
      <p class="hint" id={`${props.id}-poll-hint`}>Fill in two to {MAX_OPTIONS} options, each up to {MAX_OPTION_CHARS} characters. Leave them empty for no poll.</p>
      {props.error && <p class="field-error" id={`${props.id}-poll-error`}>{props.error}</p>}
      {Array.from({ length: MAX_OPTIONS }, (_, i) => (
        <div class="field">
          <label for={`${props.id}-poll-${i}`}>Option {i + 1}</label>
          <input id={`${props.id}-poll-${i}`} type="text" name={`poll_option_${i}`} value={v[`poll_option_${i}`] ?? ""} maxlength={MAX_OPTION_CHARS}
            aria-describedby={i === 0 ? `${props.id}-poll-hint` : undefined} />
        </div>
      ))}
      <label><input type="checkbox" name="poll_multiple" value="1" checked={v.poll_multiple === "1"} /> People may choose more than one</label>
      <div class="field">
        <label for={`${props.id}-poll-duration`}>Closes after</label>
        <select id={`${props.id}-poll-duration`} name="poll_duration">
          {POLL_DURATIONS.map(([seconds, label]) => <option value={String(seconds)} selected={v.poll_duration === String(seconds) || (!v.poll_duration && seconds === 86400)}>{label}</option>)}
        </select>
      </div>
    </details>
  );
}
