/** The "from blog.example" line under a post a member's feed brought in, linking to the original. */
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { FeedOrigin } from "../../src/domain/feeds/origins.ts";

export function FeedOriginLine(props: { origin: FeedOrigin | null }): HtmlEscapedString | Promise<HtmlEscapedString> | null {
  const o = props.origin;
  if (!o) return null;
  return o.url
    ? html`<p class="feed-origin">from <a href="${o.url}" rel="nofollow noopener noreferrer">${o.host}</a></p>`
    : html`<p class="feed-origin">from ${o.host}</p>`;
}
