/**
 * The member's time zone in Settings. Until they choose one, pages use UTC; with JavaScript on, their
 * browser's zone is preselected here (and sent once on its own, see static/kith.js).
 */
import { TIME_ZONES } from "../../src/domain/members/timeZone.ts";
import { Form } from "./forms.tsx";

export function TimeZoneForm(props: { csrf: string; zone: string | null; error?: string | null }) {
  return (
    <Form action="/settings/time-zone" csrf={props.csrf} label="Time zone">
      <div class="field">
        <label for="field-timeZone">Your time zone</label>
        <p class="hint" id="field-timeZone-hint">
          {props.zone ? "Times on every page are shown in this zone." : "Not chosen yet: times are shown in UTC."}
        </p>
        <select id="field-timeZone" name="timeZone" aria-describedby="field-timeZone-hint" data-guess-zone={props.zone ? undefined : "true"}
          aria-invalid={props.error ? "true" : undefined}>
          {TIME_ZONES.map((zone) => <option value={zone} selected={zone === (props.zone ?? "UTC")}>{zone.replaceAll("_", " ")}</option>)}
        </select>
        {props.error && <p class="field-error">{props.error}</p>}
      </div>
      <button type="submit">Save time zone</button>
    </Form>
  );
}
