/**
 * A post's markdown to safe HTML: marked with the mention and hashtag extension, then the one
 * sanitizer. Mentions become links only when they name someone we know; the rest stay text.
 */
import { Marked } from "marked";
import { sanitize } from "./sanitize.ts";
import { normalizeTag, referenceTokenizers, type MentionToken } from "./references.ts";

export interface MentionLinks {
  /** Lower-case local handle → the member's profile path. */
  local: Map<string, string>;
  /** Lower-case `user@domain` → the remote profile URL. */
  remote: Map<string, string>;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function mentionHref(token: MentionToken, links: MentionLinks, localDomain: string): string | undefined {
  if (token.domain === null || token.domain === localDomain) return links.local.get(token.handle.toLowerCase());
  return links.remote.get(`${token.handle.toLowerCase()}@${token.domain}`);
}

/** Renders the post source; links come from the caller, who looked the mentioned people up. */
export function renderPostHtml(source: string, links: MentionLinks, localDomain: string): string {
  const marked = new Marked({ gfm: true, breaks: true, async: false });
  marked.use({
    extensions: referenceTokenizers({
      mention: (token) => {
        const href = mentionHref(token, links, localDomain);
        const text = escapeHtml(token.raw);
        return href ? `<span class="h-card"><a href="${escapeHtml(href)}" class="u-url mention">${text}</a></span>` : text;
      },
      hashtag: (token) =>
        `<a href="/tags/${encodeURIComponent(normalizeTag(token.tag))}" class="mention hashtag">${escapeHtml(token.raw)}</a>`,
    }),
  });
  return sanitize(marked.parse(source) as string);
}
