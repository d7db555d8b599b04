/**
 * The camp's accent colour: what the operator may enter (a hex colour), and the shades pages use so
 * that links and buttons stay readable (WCAG AA, 4.5:1) on light and dark backgrounds whatever colour
 * was chosen: too light a colour is darkened for the light scheme, too dark a one lightened for the dark.
 */
import { refuse } from "../errors.ts";

/** Kith's own accent, used when the camp has not chosen one. */
export const DEFAULT_ACCENT = "#2f5d50";

/** The colour as stored (`#rrggbb`, lower case), or null for an empty field; anything else is refused. */
export function parseAccent(value: string): string | null {
  const text = value.trim().toLowerCase();
  if (text === "") return null;
  if (!/^#[0-9a-f]{6}$/.test(text)) refuse("invalid", "The accent colour must be a hex colour such as #2f5d50.", "accent");
  return text;
}

type Rgb = [number, number, number];

const rgbOf = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const hexOf = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;

function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two colours. */
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(rgbOf(a)), luminance(rgbOf(b))].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

const mix = (a: string, b: string, share: number) => hexOf(rgbOf(a).map((c, i) => c * share + rgbOf(b)[i]! * (1 - share)) as Rgb);

/** One scheme's accent and its soft tint (for highlights such as the current page in the navigation). */
export interface SchemeAccent {
  accent: string;
  soft: string;
}

/**
 * Moves the colour towards `target` in small steps until it reads at 4.5:1 on each background and on
 * its own soft tint (a 12-18% wash of it over `card`).
 */
function readable(hex: string, backgrounds: string[], card: string, share: number, target: Rgb): SchemeAccent {
  const start = rgbOf(hex);
  let shade: SchemeAccent = { accent: hexOf(target), soft: card };
  for (let step = 0; step <= 20; step++) {
    const t = step / 20;
    const accent = hexOf(start.map((c, i) => c + (target[i]! - c) * t) as Rgb);
    shade = { accent, soft: mix(accent, card, share) };
    if ([...backgrounds, shade.soft].every((bg) => contrast(accent, bg) >= 4.5)) return shade;
  }
  return shade;
}

/** The backgrounds of static/style.css that accent text and buttons sit on (with the dark scheme's button text). */
const LIGHT_BACKGROUNDS = ["#ffffff", "#f6f3ed"];
const DARK_BACKGROUNDS = ["#211f1d", "#161514", "#2a2825", "#10251d"];

/** The accent for each scheme, readable on its backgrounds, with a soft tint of it. */
export function accentShades(hex: string): { light: SchemeAccent; dark: SchemeAccent } {
  return {
    light: readable(hex, LIGHT_BACKGROUNDS, "#ffffff", 0.12, [0, 0, 0]),
    dark: readable(hex, DARK_BACKGROUNDS, "#211f1d", 0.18, [255, 255, 255]),
  };
}
