/** The operator's form for the camp's look: the accent colour and the logo (works without JavaScript). */
import { DEFAULT_ACCENT } from "../../src/domain/camp/accent.ts";
import { Form } from "./forms.tsx";
import type { FormState } from "../pages/auth.tsx";

export function CampLookForm(props: { csrf: string; accent: string | null; logoUrl: string | null; state: FormState }) {
  const error = (name: string) => (props.state.field === name ? props.state.error : null);
  return (
    <Form action="/admin/look" csrf={props.csrf} multipart label="Look of the camp">
      <div class="field">
        <label for="field-accent">Accent colour</label>
        <p class="hint" id="field-accent-hint">
          Links, buttons and highlights. A hex colour such as {DEFAULT_ACCENT}; leave empty for Kith's green. Pages adjust its shade where
          needed so text stays readable in light and dark mode.
        </p>
        <div class="accent-pick">
          <input type="text" id="field-accent" name="accent" value={props.state.values?.accent ?? props.accent ?? ""} maxlength={7}
            pattern="#[0-9a-fA-F]{6}" placeholder={DEFAULT_ACCENT} aria-describedby="field-accent-hint"
            aria-invalid={error("accent") ? "true" : undefined} />
          <span class="swatch" aria-hidden="true"></span>
        </div>
        {error("accent") && <p class="field-error">{error("accent")}</p>}
      </div>
      <div class="field">
        <label for="field-logo">Logo</label>
        <p class="hint" id="field-logo-hint">A square image shown beside the camp's name: PNG, JPEG, GIF or WebP, at most 2 MB.</p>
        {props.logoUrl && <p><img class="camp-logo" src={props.logoUrl} alt="The current logo" width={64} height={64} /></p>}
        <input type="file" id="field-logo" name="logo" accept="image/png,image/jpeg,image/gif,image/webp" aria-describedby="field-logo-hint"
          aria-invalid={error("logo") ? "true" : undefined} />
        {error("logo") && <p class="field-error">{error("logo")}</p>}
      </div>
      {props.logoUrl && (
        <div class="field checkbox">
          <input type="checkbox" id="field-removeLogo" name="removeLogo" value="yes" />
          <label for="field-removeLogo">Remove the logo</label>
        </div>
      )}
      <button type="submit">Save the look</button>
    </Form>
  );
}
