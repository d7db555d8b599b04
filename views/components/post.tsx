/** One post as shown in streams and threads: who, when, for whom, the text and images, and the actions. */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { AuthorView, PostView, StreamItem } from "../../src/domain/posts/present.ts";
import { Avatar } from "../pages/members.tsx";
import { AUDIENCE_LABELS } from "./audience.tsx";
import { PostActions } from "./postActions.tsx";

const formatTime = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC";

export function AuthorLink(props: { author: AuthorView }) {
  const a = props.author;
  return (
    <a class="author" href={a.profileUrl} rel={a.local ? undefined : "nofollow noopener"}>
      <strong>{a.displayName}</strong> <span class="handle">@{a.acct}</span>
    </a>
  );
}

function Attachments(props: { post: PostView }) {
  if (props.post.attachments.length === 0) return null;
  return (
    <ul class="attachments" aria-label="Images">
      {props.post.attachments.map((a) => (
        <li>
          <a href={a.url}><img src={a.url} alt={a.alt} loading="lazy" /></a>
        </li>
      ))}
    </ul>
  );
}

/** The post's text and images, behind its content warning or a muted word when it has one. */
function Body(props: { post: PostView }) {
  const p = props.post;
  const content = (
    <>
      <div class="content">{raw(p.html)}</div>
      <Attachments post={p} />
    </>
  );
  let body: Child = content;
  if (p.contentWarning) {
    body = (
      <details class="cw">
        <summary><span class="cw-label">Content warning:</span> {p.contentWarning}</summary>
        {content}
      </details>
    );
  }
  if (p.collapsedBy) {
    body = (
      <details class="muted-word">
        <summary>Collapsed because it mentions “{p.collapsedBy}”, a word you muted</summary>
        {body}
      </details>
    );
  }
  return body;
}

export interface PostCardProps {
  item: StreamItem;
  csrf: string;
  /** Logged-in members see the actions; visitors only read. */
  signedIn: boolean;
  /** Where plain (no-JavaScript) forms come back to. */
  returnTo: string;
}

export function PostCard(props: PostCardProps) {
  const { item } = props;
  const p = item.post;
  const labelId = `post-${item.key}-by`;
  return (
    <article class="post" id={`post-${item.key}`} aria-labelledby={labelId}>
      {item.boostedBy && <p class="boosted-by">Boosted by <AuthorLink author={item.boostedBy} /></p>}
      <header>
        <Avatar url={p.author.avatarUrl} size={40} />
        <span id={labelId}><AuthorLink author={p.author} /></span>
        <span class="meta">
          <a href={`/posts/${p.id}`} class="permalink"><time datetime={new Date(p.createdAt).toISOString()}>{formatTime(p.createdAt)}</time></a>
          {" · "}<span class="audience">{AUDIENCE_LABELS[p.audience]}</span>
          {p.editedAt && <>{" · "}{p.mine ? <a href={`/posts/${p.id}/history`}>edited</a> : "edited"}</>}
        </span>
      </header>
      {p.inReplyTo && <p class="reply-to">Replying to <a href={`/posts/${p.inReplyTo.id}`}>@{p.inReplyTo.author.acct}</a></p>}
      <Body post={p} />
      {props.signedIn && <PostActions post={p} csrf={props.csrf} returnTo={props.returnTo} />}
    </article>
  );
}
