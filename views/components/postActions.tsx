/**
 * Reply, like, boost, edit (or report) and delete under a post. Each is a plain form that works without
 * JavaScript; with htmx the like and boost forms swap this bar in place.
 */
import type { PostView } from "../../src/domain/posts/present.ts";
import { CsrfField } from "./forms.tsx";

function ActionForm(props: { post: PostView; action: string; label: string; csrf: string; returnTo: string; pressed?: boolean }) {
  const url = `/posts/${props.post.id}/${props.action}`;
  return (
    <form method="post" action={url} class="inline" hx-post={url} hx-target="closest .post-actions" hx-swap="outerHTML">
      <CsrfField csrf={props.csrf} />
      <input type="hidden" name="next" value={props.returnTo} />
      <button type="submit" class="link" aria-pressed={props.pressed === undefined ? undefined : String(props.pressed)}>{props.label}</button>
    </form>
  );
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function PostActions(props: { post: PostView; csrf: string; returnTo: string; error?: string | null }) {
  const p = props.post;
  const common = { post: p, csrf: props.csrf, returnTo: props.returnTo };
  return (
    <div class="post-actions">
      <a href={`/posts/${p.id}#reply`}>Reply</a>
      <ActionForm {...common} action={p.likedByMe ? "unlike" : "like"} label={p.likedByMe ? "Unlike" : "Like"} pressed={p.likedByMe} />
      <span class="count">{plural(p.likes, "like", "likes")}</span>
      {p.canBoost && <ActionForm {...common} action={p.boostedByMe ? "unboost" : "boost"} label={p.boostedByMe ? "Undo boost" : "Boost"} pressed={p.boostedByMe} />}
      <span class="count">{plural(p.boosts, "boost", "boosts")}</span>
      {p.mine ? <a href={`/posts/${p.id}/edit`}>Edit</a> : <a href={`/posts/${p.id}/report`}>Report</a>}
      {props.error && <p class="error" role="alert">{props.error}</p>}
    </div>
  );
}
