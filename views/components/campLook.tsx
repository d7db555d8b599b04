/**
 * The camp's own accent colour as a few CSS variables in the page head, in a shade readable on each
 * colour scheme (see src/domain/camp/accent.ts). Nothing when the camp keeps Kith's colour.
 */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { accentShades } from "../../src/domain/camp/accent.ts";

const cache = new Map<string, string>();

function accentCss(hex: string): string {
  let css = cache.get(hex);
  if (!css) {
    const { light, dark } = accentShades(hex);
    css = `:root{--accent:${light.accent};--accent-soft:${light.soft}}`
      + `@media (prefers-color-scheme: dark){:root{--accent:${dark.accent};--accent-soft:${dark.soft}}}`;
    cache.set(hex, css);
  }
  return css;
}

/** A `<style>` setting the accent variables; `hex` was validated when saved (#rrggbb). */
export function AccentStyle(props: { hex: string | null }): HtmlEscapedString {
  return raw(props.hex && /^#[0-9a-f]{6}$/.test(props.hex) ? `<style>${accentCss(props.hex)}</style>` : "");
}
