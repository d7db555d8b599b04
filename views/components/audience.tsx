/** Choosing and naming a post's audience, in words a member understands. */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Audience } from "../../src/db/schema.ts";
import { escapeHtml } from "./markupText.ts";

export const AUDIENCE_LABELS: Record<Audience, string> = {
  camp: "Camp only",
  followers: "Followers",
  unlisted: "Unlisted",
  public: "Public",
  direct: "Direct",
};

const AUDIENCE_HINTS: Record<Audience, string> = {
  camp: "Camp only: members of this camp, never sent elsewhere",
  followers: "Followers: people who follow you, and anyone you mention",
  unlisted: "Unlisted: anyone with the link, not in public lists",
  public: "Public: anyone, here and on other servers",
  direct: "Direct: only the people you mention",
};

/**
 * One line under the choice when it is public: shown by the stylesheet while "public" is selected
 * (`:has`), so it needs no JavaScript.
 */
const PUBLIC_WARNING = '<p class="hint audience-warning">Public leaves the camp: other servers keep their copies, and a post cannot be called back from them.</p>';

/** The audience choice (or, in a camp-only conversation, the fixed camp audience), drawn as a string (see markupText.ts). */
export function AudienceSelect(props: { id: string; value: Audience; locked?: boolean }): HtmlEscapedString {
  if (props.locked) {
    return raw('<div class="field"><input type="hidden" name="audience" value="camp"/>'
      + '<p class="hint"><strong>Who can see this:</strong> camp only. A reply in a camp-only conversation stays in the camp.</p></div>');
  }
  const id = escapeHtml(props.id);
  const options = (Object.keys(AUDIENCE_HINTS) as Audience[])
    .map((a) => `<option value="${a}"${a === props.value ? ' selected=""' : ""}>${escapeHtml(AUDIENCE_HINTS[a])}</option>`).join("");
  return raw(`<div class="field"><label for="${id}">Who can see this</label><select id="${id}" name="audience">${options}</select>${PUBLIC_WARNING}</div>`);
}
