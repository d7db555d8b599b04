/**
 * A post's audience as a badge: an icon and a colour of its own for each audience, the label in words,
 * and "Who can see this:" for screen readers. The markup of each audience is built once, at start-up:
 * a badge repeats on every card of every stream page.
 */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Audience } from "../../src/db/schema.ts";
import { AUDIENCE_LABELS } from "./audience.tsx";

/** 16-pixel outline icons (drawn with currentColor, so they take the badge's colour). */
const ICON_PATHS: Record<Audience, string> = {
  // A tent: stays in the camp.
  camp: '<path d="M8 2 1.5 14h13L8 2Z"/><path d="M8 8.5 6 14h4L8 8.5Z"/>',
  // Two people: those who follow the author.
  followers: '<circle cx="5.5" cy="5" r="2.2"/><path d="M1.5 13.5c0-2.4 1.8-4 4-4s4 1.6 4 4"/><circle cx="11" cy="5.5" r="1.8"/><path d="M10.5 9.6c2.2-.3 4 1.2 4 3.9"/>',
  // An open padlock: anyone with the link.
  unlisted: '<rect x="3" y="7.5" width="10" height="7" rx="1.2"/><path d="M5.5 7.5V5a2.5 2.5 0 0 1 4.9-.7"/>',
  // A globe: anyone anywhere.
  public: '<circle cx="8" cy="8" r="6.3"/><path d="M1.7 8h12.6M8 1.7c-3.2 3.5-3.2 9.1 0 12.6M8 1.7c3.2 3.5 3.2 9.1 0 12.6"/>',
  // An envelope: only those mentioned.
  direct: '<rect x="1.7" y="3.5" width="12.6" height="9" rx="1.2"/><path d="m2 4.2 6 4.8 6-4.8"/>',
};

const svg = (paths: string) =>
  `<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round">${paths}</svg>`;

const BADGES = Object.fromEntries(
  (Object.keys(ICON_PATHS) as Audience[]).map((audience) => [
    audience,
    raw(`<span class="audience-badge audience-${audience}">${svg(ICON_PATHS[audience])}<span class="visually-hidden">Who can see this: </span>${AUDIENCE_LABELS[audience]}</span>`),
  ]),
) as Record<Audience, HtmlEscapedString>;

/** The badge naming who may see a post with this audience. */
export const AudienceBadge = (audience: Audience): HtmlEscapedString => BADGES[audience];
