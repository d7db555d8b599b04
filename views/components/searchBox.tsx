import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { escapeHtml } from "./markupText.ts";

/** The search box in the site header: a plain GET form to /search, so it works without JavaScript. */
export function SearchBox(props: { query?: string }): HtmlEscapedString {
  return raw('<form role="search" method="get" action="/search" class="site-search" aria-label="Site search">'
    + '<label for="site-search-q" class="visually-hidden">Search posts, people and tags</label>'
    + `<input type="search" id="site-search-q" name="q" value="${escapeHtml(props.query ?? "")}" maxlength="500" placeholder="Search"/>`
    + '<button type="submit">Search</button></form>');
}
