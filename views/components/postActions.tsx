/**
 * Reply, like, boost, edit (or report) and delete under a post. Each is a plain form that works without
 * JavaScript; with htmx the like and boost forms swap this bar in place.
 *
 * Written as an html template rather than JSX: it repeats under every post of every stream page, and
 * the template renders the same markup at a fraction of the JSX renderer's cost (values are escaped
 * the same way). The hidden fields are the same in both forms, so they are rendered once.
 */
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { PostView } from "../../src/domain/posts/present.ts";

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

function actionForm(post: PostView, action: string, label: string, hiddenFields: Markup, pressed: boolean): Markup {
  const url = `/posts/${post.id}/${action}`;
  return html`<form method="post" action="${url}" class="inline" hx-post="${url}" hx-target="closest .post-actions" hx-swap="outerHTML">${hiddenFields}<button type="submit" class="link" aria-pressed="${String(pressed)}">${label}</button></form>`;
}

/** Save or Unsave (bookmarks): private to the member, swapped in place like a like. */
function saveAction(post: PostView, hiddenFields: Markup): Markup {
  return actionForm(post, post.savedByMe ? "unsave" : "save", post.savedByMe ? "Unsave" : "Save", hiddenFields, post.savedByMe);
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function PostActions(props: { post: PostView; csrf: string; returnTo: string; error?: string | null }) {
  const p = props.post;
  const hiddenFields = html`<input type="hidden" name="_csrf" value="${props.csrf}"/><input type="hidden" name="next" value="${props.returnTo}"/>`;
  return html`<div class="post-actions"><a href="/posts/${p.id}#reply">Reply</a>${
    actionForm(p, p.likedByMe ? "unlike" : "like", p.likedByMe ? "Unlike" : "Like", hiddenFields, p.likedByMe)
  }<span class="count">${plural(p.likes, "like", "likes")}</span>${
    p.canBoost && actionForm(p, p.boostedByMe ? "unboost" : "boost", p.boostedByMe ? "Undo boost" : "Boost", hiddenFields, p.boostedByMe)
  }<span class="count">${plural(p.boosts, "boost", "boosts")}</span>${saveAction(p, hiddenFields)}${
    p.mine ? html`<a href="/posts/${p.id}/edit">Edit</a>` : html`<a href="/posts/${p.id}/report">Report</a>`
  }${props.error ? html`<p class="error" role="alert">${props.error}</p>` : null}</div>`;
}
