/**
 * The avatar of someone who has not chosen a picture: their initials on a colour derived from their
 * handle (a hue from a hash of it), drawn as inline SVG on our side (no request, no outside service).
 * Each colour is darkened until it carries white text at WCAG AA contrast. Each avatar's markup is built once and kept: a camp has a few
 * hundred faces at most, and a stream page repeats them on every card.
 */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { contrast } from "../../src/domain/camp/accent.ts";

/** Saturations (another part of the hash picks one) and the lightest lightness tried: lively but calm. */
const SATURATIONS = [0.4, 0.55, 0.7];
const LIGHTNESS = 0.45;

/** At most this many distinct avatars are kept; past it the cache starts over (names may change). */
const CACHE_LIMIT = 2000;
const cache = new Map<string, HtmlEscapedString>();

/**
 * FNV-1a with MurmurHash3's final mix: a small, stable hash (a handle keeps its colour across restarts
 * and servers) whose every bit depends on every letter, so similar handles get unrelated hues.
 */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** One or two letters: the first of the first two words of the name, else the handle's first two. */
export function initialsOf(name: string, handle: string): string {
  const words = name.trim().split(/[\s._-]+/).filter((w) => /\p{L}|\p{N}/u.test(w));
  const letters = words.length >= 2
    ? [words[0]!, words[1]!].map((w) => Array.from(w.replace(/^[^\p{L}\p{N}]+/u, ""))[0] ?? "")
    : Array.from((words[0] ?? handle).replace(/[^\p{L}\p{N}]/gu, "")).slice(0, words.length === 1 ? 1 : 2);
  return letters.join("").toUpperCase() || "?";
}

function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return `#${[channel(0), channel(8), channel(4)].map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

/** The colour the handle is drawn on: its own hue, dark enough for white initials (4.5:1). */
export function colourOf(handle: string): string {
  const h = hash(handle.toLowerCase());
  const hue = h % 360;
  const saturation = SATURATIONS[(h >>> 12) % SATURATIONS.length]!;
  let lightness = LIGHTNESS;
  let colour = hslToHex(hue, saturation, lightness);
  while (contrast(colour, "#ffffff") < 4.5 && lightness > 0.1) {
    lightness -= 0.02;
    colour = hslToHex(hue, saturation, lightness);
  }
  return colour;
}

const escapeText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The lettering's font, as static/style.css gives it to the avatars in pages. */
const FONT = `font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-weight="600" fill="#fff" text-anchor="middle"`;

/**
 * The same avatar as an image file of its own, for apps (the client API gives avatars as URLs): the
 * lettering's style is written in rather than taken from the stylesheet, and the corners are left
 * square for the app to round as it rounds every other avatar.
 */
export function defaultAvatarImage(name: string, handle: string): string {
  const initials = initialsOf(name, handle);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 40 40">` +
    `<rect width="40" height="40" fill="${colourOf(handle)}"/>` +
    `<text x="20" y="26" font-size="${initials.length > 1 ? 15 : 18}" ${FONT}>${escapeText(initials)}</text></svg>`;
}

/** The SVG avatar for a person without a picture (decorative: the name is always beside it). */
export function defaultAvatar(name: string, handle: string, size: number): HtmlEscapedString {
  const key = `${size}|${handle}|${name}`;
  let markup = cache.get(key);
  if (!markup) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    const initials = initialsOf(name, handle);
    // The lettering (white, centred, bold) is in static/style.css, to keep each card's markup short.
    markup = raw(
      `<svg class="avatar" width="${size}" height="${size}" viewBox="0 0 40 40" aria-hidden="true">` +
        `<rect width="40" height="40" rx="8" fill="${colourOf(handle)}"/>` +
        `<text x="20" y="26"${initials.length > 1 ? ' class="two"' : ""}>${escapeText(initials)}</text></svg>`,
    );
    cache.set(key, markup);
  }
  return markup;
}
