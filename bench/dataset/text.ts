/** Post text for the data set: plausible lengths, markdown source and the HTML it renders to. */
import type { Random } from "./random.ts";
import { plainText } from "../../src/domain/text/plainText.ts";

const WORDS = (
  "the a camp fire tonight tomorrow morning bread garden rain walk river dog cat coffee tea book read " +
  "finished started music song band concert friends dinner lunch soup bike ride train late early sunny " +
  "cloudy cold warm weekend holiday trip photo picture lake mountain hike snow beach city market " +
  "kids school work meeting project code bug fixed broke today yesterday again finally maybe really " +
  "think know love like want need try made cooked baked planted found lost saw heard said asked " +
  "new old small big quiet loud slow fast good great nice strange funny lovely busy tired happy"
).split(" ");

export const TAGS = Array.from({ length: 60 }, (_, i) => `topic${i}`).concat([
  "gardening", "cooking", "books", "music", "cycling", "photography", "hiking", "baking", "cats", "dogs",
]);

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A sentence or three of ordinary words. */
export function sentences(random: Random): string {
  const count = 1 + random.int(3);
  const parts: string[] = [];
  for (let s = 0; s < count; s++) {
    const length = 4 + random.int(14);
    const words = Array.from({ length }, () => random.pick(WORDS));
    words[0] = words[0]![0]!.toUpperCase() + words[0]!.slice(1);
    parts.push(`${words.join(" ")}${random.pick([".", ".", ".", "!", "?"])}`);
  }
  return parts.join(" ");
}

export interface PostText {
  source: string;
  html: string;
}

/** A local post's markdown and the HTML src/domain/text/postText.ts renders for it (built directly: much faster). */
export function localText(random: Random, mentions: string[], tags: string[]): PostText {
  const body = sentences(random);
  const mentionSource = mentions.map((h) => `@${h}`).join(" ");
  const tagSource = tags.map((t) => `#${t}`).join(" ");
  const source = [mentionSource, body, tagSource].filter(Boolean).join(" ");
  const mentionHtml = mentions.map((h) => `<span class="h-card"><a href="/@${h}" class="u-url mention">@${h}</a></span>`).join(" ");
  const tagHtml = tags.map((t) => `<a href="/tags/${t}" class="mention hashtag">#${t}</a>`).join(" ");
  const html = `<p>${[mentionHtml, escape(body), tagHtml].filter(Boolean).join(" ")}</p>`;
  return { source, html };
}

/** A remote post's HTML as Mastodon sends it, already sanitized (stored as received), with its words in source as stored. */
export function remoteText(random: Random, tags: string[], domain: string): PostText {
  const body = sentences(random);
  const tagHtml = tags
    .map((t) => `<a href="https://${domain}/tags/${t}" class="mention hashtag" rel="tag">#<span>${t}</span></a>`)
    .join(" ");
  const html = `<p>${escape(body)}${tagHtml ? ` ${tagHtml}` : ""}</p>`;
  return { source: plainText(html), html };
}
