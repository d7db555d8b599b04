/**
 * The pieces of a page that live updates change, and the messages that change them. With JavaScript
 * on, htmx's SSE extension (static/hx-sse.js) connects the hidden #live element to /live; every
 * message is one or more `<hx-partial>`s, each naming the element it replaces or extends. With
 * JavaScript off the element stays empty and nothing connects.
 */
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

/** What the page's live connection follows: a stream and the newest post it shows. */
export interface LivePlace {
  stream: string;
  afterPostId: number;
}

/** The hidden (empty) element that holds the page's live connection (members only). */
export function LiveConnection(props: { place: LivePlace | null }): Markup {
  const query = props.place ? `?stream=${encodeURIComponent(props.place.stream)}&after=${props.place.afterPostId}` : "";
  return html`<span id="live" hx-sse:connect="/live${raw(query.replace(/&/g, "&amp;"))}" hidden></span>`;
}

/** Where "3 new posts" appears at the top of a stream (announced politely to screen readers). */
export const NEW_POSTS_SLOT = raw('<div id="new-posts" class="new-posts" role="status"></div>');

/** The message for new posts in a stream: a link that shows them (the stream's page, reloaded). */
export function newPostsMessage(count: number, path: string): Markup {
  return html`<hx-partial hx-target="#new-posts" hx-swap="innerHTML"><a href="${path}">${count} new ${count === 1 ? "post" : "posts"}</a></hx-partial>`;
}

/** The message for new replies in an open conversation: their cards, appended under "New replies". */
export function newRepliesMessage(cards: Markup[]): Markup {
  return html`<hx-partial hx-target="#live-replies" hx-swap="beforeend">${cards.map((card) => html`<li>${card}</li>`)}</hx-partial>`;
}

/** The list new replies are appended to at the end of a conversation, empty until one arrives. */
export const LIVE_REPLIES_LIST = raw('<ol id="live-replies" class="thread live-replies" aria-label="New replies" aria-live="polite"></ol>');

/** The message for a new unread count: the navigation's badge, replaced whole. */
export function unreadMessage(badge: Markup): Markup {
  return html`<hx-partial hx-target="#unread-count" hx-swap="outerHTML">${badge}</hx-partial>`;
}
