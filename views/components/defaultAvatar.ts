/**
 * The avatar of someone who has not chosen a picture: their initials on a colour derived from their
 * handle, drawn as inline SVG on our side (no request, no outside service). The colours all carry
 * white text at WCAG AA contrast. Each avatar's markup is built once and kept: a camp has a few
 * hundred faces at most, and a stream page repeats them on every card.
 */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

const COLOURS = [
  "#2f5d50", "#1c4f8f", "#5a3a8a", "#8a3a00", "#8c1c4d", "#00606e",
  "#6b4e16", "#4a5a1c", "#3d4a8c", "#7a2e2e", "#245c7a", "#6a3a6a",
];

/** At most this many distinct avatars are kept; past it the cache starts over (names may change). */
const CACHE_LIMIT = 2000;
const cache = new Map<string, HtmlEscapedString>();

/** FNV-1a: a small, stable hash, so a handle keeps its colour across restarts and servers. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** One or two letters: the first of the first two words of the name, else the handle's first two. */
export function initialsOf(name: string, handle: string): string {
  const words = name.trim().split(/[\s._-]+/).filter((w) => /\p{L}|\p{N}/u.test(w));
  const letters = words.length >= 2
    ? [words[0]!, words[1]!].map((w) => Array.from(w.replace(/^[^\p{L}\p{N}]+/u, ""))[0] ?? "")
    : Array.from((words[0] ?? handle).replace(/[^\p{L}\p{N}]/gu, "")).slice(0, words.length === 1 ? 1 : 2);
  return letters.join("").toUpperCase() || "?";
}

/** The colour the handle is drawn on. */
export const colourOf = (handle: string): string => COLOURS[hash(handle.toLowerCase()) % COLOURS.length]!;

const escapeText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The SVG avatar for a person without a picture (decorative: the name is always beside it). */
export function defaultAvatar(name: string, handle: string, size: number): HtmlEscapedString {
  const key = `${size}|${handle}|${name}`;
  let markup = cache.get(key);
  if (!markup) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    const initials = initialsOf(name, handle);
    const fontSize = initials.length > 1 ? 15 : 18;
    markup = raw(
      `<svg class="avatar" width="${size}" height="${size}" viewBox="0 0 40 40" aria-hidden="true" focusable="false">` +
        `<rect width="40" height="40" rx="8" fill="${colourOf(handle)}"/>` +
        `<text x="20" y="20" dy="0.35em" text-anchor="middle" fill="#fff" font-size="${fontSize}" font-weight="600" font-family="system-ui, sans-serif">${escapeText(initials)}</text></svg>`,
    );
    cache.set(key, markup);
  }
  return markup;
}
