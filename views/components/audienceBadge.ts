/**
 * A post's audience as a badge: an icon and a colour of its own for each audience, the label in words,
 * and "Who can see this:" for screen readers. The markup of each audience is built once, at start-up:
 * a badge repeats on every card of every stream page. The icons live in static/style.css (drawn as
 * masks in the badge's colour), so each card carries only a few words of markup for its badge.
 */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Audience } from "../../src/db/schema.ts";
import { AUDIENCE_LABELS } from "./audience.tsx";

const BADGES = Object.fromEntries(
  (Object.keys(AUDIENCE_LABELS) as Audience[]).map((audience) => [
    audience,
    raw(`<span class="audience-badge audience-${audience}"><span class="visually-hidden">Who can see this: </span>${AUDIENCE_LABELS[audience]}</span>`),
  ]),
) as Record<Audience, HtmlEscapedString>;

/** The badge naming who may see a post with this audience. */
export const AudienceBadge = (audience: Audience): HtmlEscapedString => BADGES[audience];
