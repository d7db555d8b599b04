/**
 * Reply, like, boost, edit (or report) and delete under a post. Each is a plain form that works without
 * JavaScript; with htmx the like and boost forms swap this bar in place.
 *
 * Built as joined strings rather than JSX or html templates: it repeats under every post of every
 * stream page, and joining strings renders the same markup at a fraction of their cost (values are
 * escaped by the same escaper, see markupText.ts). The hidden fields are the same in every form, so
 * they are escaped once.
 */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { PostView } from "../../src/domain/posts/present.ts";
import { escapeHtml } from "./markupText.ts";

function actionForm(post: PostView, action: string, label: string, hiddenFields: string, pressed: boolean): string {
  const url = `/posts/${post.id}/${action}`;
  return `<form method="post" action="${url}" class="inline" hx-post="${url}" hx-target="closest .post-actions" hx-swap="outerHTML">${hiddenFields}<button type="submit" class="link" aria-pressed="${pressed}">${label}</button></form>`;
}

/** Save or Unsave (bookmarks): private to the member, swapped in place like a like. */
function saveAction(post: PostView, hiddenFields: string): string {
  return actionForm(post, post.savedByMe ? "unsave" : "save", post.savedByMe ? "Unsave" : "Save", hiddenFields, post.savedByMe);
}

/** "3 likes" beside the button; nothing at all when there are none ("Like" alone reads calmer than "0 likes"). */
const countOf = (n: number, one: string, many: string): string => (n === 0 ? "" : `<span class="count">${n} ${n === 1 ? one : many}</span>`);

export function PostActions(props: { post: PostView; csrf: string; returnTo: string; error?: string | null }): HtmlEscapedString {
  const p = props.post;
  const hiddenFields = `<input type="hidden" name="_csrf" value="${escapeHtml(props.csrf)}"/><input type="hidden" name="next" value="${escapeHtml(props.returnTo)}"/>`;
  const like = actionForm(p, p.likedByMe ? "unlike" : "like", p.likedByMe ? "Unlike" : "Like", hiddenFields, p.likedByMe);
  const boost = p.canBoost ? actionForm(p, p.boostedByMe ? "unboost" : "boost", p.boostedByMe ? "Undo boost" : "Boost", hiddenFields, p.boostedByMe) : "";
  const own = p.mine ? `<a href="/posts/${p.id}/edit">Edit</a>` : `<a href="/posts/${p.id}/report">Report</a>`;
  const error = props.error ? `<p class="error" role="alert">${escapeHtml(props.error)}</p>` : "";
  return raw(`<div class="post-actions"><a href="/posts/${p.id}#reply">Reply</a>${like}${countOf(p.likes, "like", "likes")}${boost}${countOf(p.boosts, "boost", "boosts")}${saveAction(p, hiddenFields)}${own}${error}</div>`);
}
