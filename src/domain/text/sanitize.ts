/**
 * The one allowlist for every piece of HTML we show: rendered markdown of members and
 * HTML from remote servers alike. Anything not listed here is dropped, including scripts,
 * event handlers, inline styles, htmx attributes and every URL scheme but http(s) and mailto.
 */
import sanitizeHtml from "sanitize-html";

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "a", "span", "strong", "b", "em", "i", "u", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
  ],
  allowedAttributes: {
    a: ["href", "rel", "class", "title"],
    span: ["class"],
    ol: ["start"],
  },
  // Only the classes Mastodon-style mentions and hashtags need.
  allowedClasses: {
    a: ["mention", "hashtag", "u-url", "u-uid"],
    span: ["h-card", "invisible", "ellipsis"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "template", "iframe", "object"],
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: "nofollow noopener noreferrer ugc" },
    }),
  },
};

/** Returns HTML that is safe to place in any page as it is. */
export function sanitize(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}
