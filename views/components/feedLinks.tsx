/** The <link rel="alternate"> elements that let feed readers find a page's feeds, one per format. */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { FeedLink } from "../context.ts";
import { escapeHtml } from "./markupText.ts";

const FORMATS = [
  { ext: "rss", type: "application/rss+xml", name: "RSS" },
  { ext: "atom", type: "application/atom+xml", name: "Atom" },
  { ext: "json", type: "application/feed+json", name: "JSON Feed" },
];

export function FeedAlternates(props: { feeds?: FeedLink[] }): HtmlEscapedString {
  return raw((props.feeds ?? []).flatMap((f) => FORMATS.map((x) =>
    `<link rel="alternate" type="${x.type}" title="${escapeHtml(`${f.title} (${x.name})`)}" href="${escapeHtml(`${f.path}.${x.ext}`)}"/>`)).join(""));
}
