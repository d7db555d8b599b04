/**
 * One post as shown in streams and threads: who, when, for whom, the text and images, and the actions.
 *
 * Written as html templates rather than JSX: a card repeats for every post of every stream page, and
 * the template renders the same markup at a fraction of the JSX renderer's cost (values are escaped
 * the same way).
 */
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { AuthorView, PostView, StreamItem } from "../../src/domain/posts/present.ts";
import { Avatar } from "../pages/members.tsx";
import { AUDIENCE_LABELS } from "./audience.tsx";
import { PostActions } from "./postActions.tsx";
import { FeedOriginLine } from "./feedOrigin.tsx";
import { PollBox } from "./poll.tsx";

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

const formatTime = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

export function AuthorLink(props: { author: AuthorView }): Markup {
  const a = props.author;
  return html`<a class="author" href="${a.profileUrl}"${a.local ? null : raw(' rel="nofollow noopener"')}><strong>${a.displayName}</strong> <span class="handle">@${a.acct}</span></a>`;
}

function attachments(post: PostView): Markup | null {
  if (post.attachments.length === 0) return null;
  return html`<ul class="attachments" aria-label="Images">${post.attachments.map((a) => html`<li><a href="${a.url}"><img src="${a.url}" alt="${a.alt}" loading="lazy"/></a></li>`)}</ul>`;
}

/** The post's text and images, behind its content warning or a muted word when it has one. */
function body(p: PostView): Markup {
  let shown = html`<div class="content">${raw(p.html)}</div>${attachments(p)}`;
  if (p.contentWarning) {
    shown = html`<details class="cw"><summary><span class="cw-label">Content warning:</span> ${p.contentWarning}</summary>${shown}</details>`;
  }
  if (p.collapsedBy) {
    shown = html`<details class="muted-word"><summary>Collapsed because it mentions “${p.collapsedBy}”, a word you muted</summary>${shown}</details>`;
  }
  return shown;
}

export interface PostCardProps {
  item: StreamItem;
  csrf: string;
  /** Logged-in members see the actions; visitors only read. */
  signedIn: boolean;
  /** Where plain (no-JavaScript) forms come back to. */
  returnTo: string;
}

export function PostCard(props: PostCardProps): Markup {
  const { item } = props;
  const p = item.post;
  const labelId = `post-${item.key}-by`;
  const created = new Date(p.createdAt).toISOString();
  const edited = p.editedAt ? html` · ${p.mine ? html`<a href="/posts/${p.id}/history">edited</a>` : "edited"}` : null;
  return html`<article class="post" id="post-${item.key}" aria-labelledby="${labelId}">${
    item.boostedBy && html`<p class="boosted-by">Boosted by ${AuthorLink({ author: item.boostedBy })}</p>`
  }<header>${<Avatar url={p.author.avatarUrl} size={40} />}<span id="${labelId}">${AuthorLink({ author: p.author })}</span><span class="meta"><a href="/posts/${p.id}" class="permalink"><time datetime="${created}">${formatTime(created)}</time></a> · <span class="audience">${AUDIENCE_LABELS[p.audience]}</span>${edited}</span></header>${
    p.inReplyTo && html`<p class="reply-to">Replying to <a href="/posts/${p.inReplyTo.id}">@${p.inReplyTo.author.acct}</a></p>`
  }${body(p)}${p.poll && <PollBox postId={p.id} poll={p.poll} csrf={props.csrf} signedIn={props.signedIn} returnTo={props.returnTo} />}${FeedOriginLine({ origin: p.origin })}${props.signedIn ? PostActions({ post: p, csrf: props.csrf, returnTo: props.returnTo }) : null}</article>`;
}
